import wandb

# El agente ejecuta este script una vez por run, con los hiperparámetros que eligió el controlador
with wandb.init() as run:
    lr = run.config.lr
    for epoch in range(1, 4):
        val_loss = lr / epoch  # un sustituto de una pérdida de validación real
        run.log({"epoch": epoch, "val_loss": val_loss})
