wandb agent your-entity/troubleshoot-demo/sweepID
