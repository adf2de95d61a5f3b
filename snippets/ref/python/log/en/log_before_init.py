import wandb

# Wrong: there is no run yet to log to
wandb.log({"loss": 0.5})

run = wandb.init(project="log-reference")
