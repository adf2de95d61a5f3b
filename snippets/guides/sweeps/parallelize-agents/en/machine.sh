# On every machine: the full path of the same sweep
wandb agent your-entity/parallel-demo/sweepID
