# Terminal 2, on this machine or another: an agent
wandb agent your-entity/local-demo/sweepID
