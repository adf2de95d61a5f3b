import sys

import wandb

# The sweep's full path, "entity/project/sweep ID", from the command line
sweep_path = sys.argv[1]

api = wandb.Api()
sweep = api.sweep(sweep_path)
print(f"Sweep {sweep.name}: {len(sweep.runs)} runs, state {sweep.state}")

# Every run of the sweep: its state, its hyperparameters and its final metrics
for run in sweep.runs:
    lr = run.config["lr"]
    batch_size = run.config["batch_size"]
    val_loss = run.summary["val_loss"]
    print(f"{run.id} {run.state}: lr={lr} batch_size={batch_size} val_loss={val_loss:.4f}")

# The run with the best value of the sweep's metric: here, the lowest val_loss
best = sweep.best_run()
print(f"Best run: {best.id}, val_loss={best.summary['val_loss']:.4f}")
print(f"Its hyperparameters: {best.config}")
