wandb sweep --project parallel-demo config.yaml
