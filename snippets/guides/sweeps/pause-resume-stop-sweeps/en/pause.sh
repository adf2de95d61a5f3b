wandb sweep --pause your-entity/control-demo/sweepID
