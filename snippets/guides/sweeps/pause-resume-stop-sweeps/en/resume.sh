wandb sweep --resume your-entity/control-demo/sweepID
