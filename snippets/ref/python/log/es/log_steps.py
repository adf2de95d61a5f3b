import wandb

with wandb.init(project="referencia-log") as run:
    # Una llamada por paso: cada llamada añade una fila al historial
    for step in range(3):
        wandb.log({"loss": 1 / (step + 1)})

    # Dos llamadas, una fila: commit=False deja la fila abierta
    wandb.log({"val_loss": 0.4}, commit=False)
    wandb.log({"val_acc": 0.8})

    # Un paso explícito, más adelante
    wandb.log({"lr": 0.001}, step=10)

stored = wandb.Api().run(f"referencia-log/{run.id}")
for row in stored.history(pandas=False):
    print({key: value for key, value in row.items() if key not in ("_runtime", "_timestamp")})
print("loss en el resumen:", stored.summary["loss"])
