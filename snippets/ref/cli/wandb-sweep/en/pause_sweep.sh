wandb sweep --pause your-entity/cli-reference/sweepID
