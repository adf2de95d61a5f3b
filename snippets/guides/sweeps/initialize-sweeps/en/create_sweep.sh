wandb sweep --project my-first-sweep config.yaml
