wandb sweep --project demo-barrido-cli config.yaml
