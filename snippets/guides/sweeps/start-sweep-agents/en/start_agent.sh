wandb agent --count 3 your-entity/agents-demo/sweepID
