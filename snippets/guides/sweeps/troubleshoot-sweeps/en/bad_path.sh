# Wrong: copied from the sweep's web address, with "sweeps/" in the middle
wandb agent your-entity/troubleshoot-demo/sweeps/sweepID
