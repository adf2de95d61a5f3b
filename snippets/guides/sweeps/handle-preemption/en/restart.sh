# When the job starts again: make sure the sweep hands out trials, then start the agent
wandb sweep --resume your-entity/preemption-demo/sweepID
wandb agent --forward-signals your-entity/preemption-demo/sweepID
