import wandb

run = wandb.init(project="config-reference", config={"lr": 0.01})

# Wrong: "lr" already has a value, and the call does not allow changing it
wandb.config.update({"lr": 0.1})
