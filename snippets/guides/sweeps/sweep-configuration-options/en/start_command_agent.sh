wandb agent your-entity/macros-demo/sweepID
