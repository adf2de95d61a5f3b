wandb sweep --project demo-paralelo config.yaml
