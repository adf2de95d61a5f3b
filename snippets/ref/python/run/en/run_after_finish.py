import wandb

run = wandb.init(project="run-reference")
run.log({"loss": 0.5})
run.finish()

# Wrong: the run is already finished
run.log({"loss": 0.4})
