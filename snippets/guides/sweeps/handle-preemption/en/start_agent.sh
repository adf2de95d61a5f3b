# The agent passes the signals it receives on to the running trial
wandb agent --forward-signals your-entity/preemption-demo/sweepID
