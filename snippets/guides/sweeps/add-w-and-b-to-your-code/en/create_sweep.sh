wandb sweep --project sweep-demo-cli config.yaml
