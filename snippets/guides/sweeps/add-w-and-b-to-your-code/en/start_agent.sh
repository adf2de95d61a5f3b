wandb agent --count $NUM your-entity/sweep-demo-cli/sweepID
