wandb sweep --cancel your-entity/control-demo/sweepID
