wandb sweep --project demo-agentes config.yaml
