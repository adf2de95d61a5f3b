import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"lr": {"values": [0.001, 0.01, 0.1]}},
}
sweep_id = wandb.sweep(sweep=sweep_configuration, project="best-demo")


def train():
    with wandb.init() as run:
        # Keep the highest val_acc in the summary, instead of the last one
        run.define_metric("val_acc", summary="max")
        best_val_loss = float("inf")
        # A stand-in for training that overfits: the loss goes up again at the end
        for epoch, base in enumerate([0.5, 0.3, 0.2, 0.35], start=1):
            val_loss = base + abs(run.config.lr - 0.01) * 5
            best_val_loss = min(best_val_loss, val_loss)
            run.log({"epoch": epoch, "val_loss": val_loss, "val_acc": round(1 - val_loss, 3)})
        # The sweep's metric stays a number: its best value, set before the run ends
        run.summary["val_loss"] = best_val_loss


wandb.agent(sweep_id, function=train)

sweep = wandb.Api().sweep(f"best-demo/{sweep_id}")
for run in sweep.runs:
    last = run.history(pandas=False)[-1]["val_loss"]
    print(f"lr={run.config['lr']}: val_loss {run.summary['val_loss']:.3f} (last {last:.3f}),"
          f" val_acc {run.summary['val_acc']}")
best = sweep.best_run()
print(f"Lowest val_loss: lr={best.config['lr']}")
best = sweep.best_run(order="val_acc.max")
print(f"Highest val_acc: lr={best.config['lr']}, {best.summary['val_acc']['max']:.3f}")
