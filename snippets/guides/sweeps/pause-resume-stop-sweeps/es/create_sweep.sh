wandb sweep --project demo-control config.yaml
