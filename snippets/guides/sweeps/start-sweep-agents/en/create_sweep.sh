wandb sweep --project agents-demo config.yaml
