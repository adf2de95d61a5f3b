import random

import wandb

# El agente eligió los hiperparámetros de este run: wandb.init() los lee
with wandb.init() as run:
    lr = run.config.lr
    batch_size = run.config.batch_size
    # Un sustituto del entrenamiento: una pérdida de validación por epoch
    for epoch in range(1, 4):
        val_loss = 1 / (epoch * lr * 100) + batch_size / 1000 + random.random() / 10
        run.log({"epoch": epoch, "val_loss": val_loss})
