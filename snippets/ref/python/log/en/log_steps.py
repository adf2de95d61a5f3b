import wandb

with wandb.init(project="log-reference") as run:
    # One call per step: each call adds one row to the history
    for step in range(3):
        wandb.log({"loss": 1 / (step + 1)})

    # Two calls, one row: commit=False keeps the row open
    wandb.log({"val_loss": 0.4}, commit=False)
    wandb.log({"val_acc": 0.8})

    # An explicit step, further ahead
    wandb.log({"lr": 0.001}, step=10)

stored = wandb.Api().run(f"log-reference/{run.id}")
for row in stored.history(pandas=False):
    print({key: value for key, value in row.items() if key not in ("_runtime", "_timestamp")})
print("Summary loss:", stored.summary["loss"])
