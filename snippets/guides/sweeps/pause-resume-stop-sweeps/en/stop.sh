wandb sweep --stop your-entity/control-demo/sweepID
