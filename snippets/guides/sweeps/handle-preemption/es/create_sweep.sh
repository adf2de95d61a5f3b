wandb sweep --project demo-interrupcion config.yaml
