import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"lr": {"values": [0.001, 0.01, 0.1]}},
}
sweep_id = wandb.sweep(sweep=sweep_configuration, project="demo-mejor")


def train():
    with wandb.init() as run:
        # Guarda en el resumen el val_acc más alto, en lugar del último
        run.define_metric("val_acc", summary="max")
        best_val_loss = float("inf")
        # Un sustituto de un entrenamiento que sobreajusta: la pérdida vuelve a subir al final
        for epoch, base in enumerate([0.5, 0.3, 0.2, 0.35], start=1):
            val_loss = base + abs(run.config.lr - 0.01) * 5
            best_val_loss = min(best_val_loss, val_loss)
            run.log({"epoch": epoch, "val_loss": val_loss, "val_acc": round(1 - val_loss, 3)})
        # La métrica del barrido sigue siendo un número: su mejor valor, antes de que termine el run
        run.summary["val_loss"] = best_val_loss


wandb.agent(sweep_id, function=train)

sweep = wandb.Api().sweep(f"demo-mejor/{sweep_id}")
for run in sweep.runs:
    last = run.history(pandas=False)[-1]["val_loss"]
    print(f"lr={run.config['lr']}: val_loss {run.summary['val_loss']:.3f} (último {last:.3f}),"
          f" val_acc {run.summary['val_acc']}")
best = sweep.best_run()
print(f"val_loss más bajo: lr={best.config['lr']}")
best = sweep.best_run(order="val_acc.max")
print(f"val_acc más alto: lr={best.config['lr']}, {best.summary['val_acc']['max']:.3f}")
