import wandb

run = wandb.init(project="run-reference")
# Wrong: "best" is not a summary rule of wandb 0.31
run.define_metric("loss", summary="best")
