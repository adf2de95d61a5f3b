import wandb

with wandb.init(project="run-reference") as run:
    run.log({"loss": 0.5})
    # An exception leaves the block: the run is marked failed
    raise RuntimeError("training diverged")
