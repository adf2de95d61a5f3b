wandb sweep --project macros-demo command.yaml
