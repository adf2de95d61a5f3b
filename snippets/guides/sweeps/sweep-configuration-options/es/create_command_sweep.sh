wandb sweep --project demo-macros command.yaml
