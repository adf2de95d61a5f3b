import sys

import wandb

# La ruta completa del barrido, "entidad/proyecto/ID", desde la línea de comandos
sweep_path = sys.argv[1]

api = wandb.Api()
sweep = api.sweep(sweep_path)
print(f"Barrido {sweep.name}: {len(sweep.runs)} runs, estado {sweep.state}")

# Cada run del barrido: su estado, sus hiperparámetros y sus métricas finales
for run in sweep.runs:
    lr = run.config["lr"]
    batch_size = run.config["batch_size"]
    val_loss = run.summary["val_loss"]
    print(f"{run.id} {run.state}: lr={lr} batch_size={batch_size} val_loss={val_loss:.4f}")

# El run con el mejor valor de la métrica del barrido: aquí, el val_loss más bajo
best = sweep.best_run()
print(f"Mejor run: {best.id}, val_loss={best.summary['val_loss']:.4f}")
print(f"Sus hiperparámetros: {best.config}")
