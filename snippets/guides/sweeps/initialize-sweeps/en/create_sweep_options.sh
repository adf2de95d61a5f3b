wandb sweep --entity my-team --project my-first-sweep --name lr-search config.yaml
