wandb agent your-entity/control-demo/sweepID
