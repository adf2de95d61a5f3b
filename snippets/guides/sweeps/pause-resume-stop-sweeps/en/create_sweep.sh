wandb sweep --project control-demo config.yaml
