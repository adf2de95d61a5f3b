import random

import wandb

sweep_configuration = {
    "method": "random",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {
        "batch_size": {"values": [16, 32, 64]},
        "lr": {"min": 0.001, "max": 0.1},
    },
}
sweep_id = wandb.sweep(sweep=sweep_configuration, project="demo-agentes")


def train():
    # El agente eligió los hiperparámetros de este run: wandb.init() los lee
    with wandb.init() as run:
        lr = run.config.lr
        batch_size = run.config.batch_size
        # Un sustituto del entrenamiento: una pérdida de validación por epoch
        for epoch in range(1, 4):
            val_loss = 1 / (epoch * lr * 100) + batch_size / 1000 + random.random() / 10
            run.log({"epoch": epoch, "val_loss": val_loss})


# Llama a train() tres veces, cada vez con hiperparámetros nuevos
wandb.agent(sweep_id, function=train, count=3)
