wandb agent --count 2 your-entity/cli-agent-reference/sweepID
