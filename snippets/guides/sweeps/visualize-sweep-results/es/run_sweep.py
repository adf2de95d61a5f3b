import math
import random

import wandb

sweep_configuration = {
    "method": "random",
    "name": "demo-graficos",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {
        "lr": {"distribution": "log_uniform_values", "min": 0.0001, "max": 0.1},
        "batch_size": {"values": [16, 32, 64, 128]},
        "dropout": {"distribution": "uniform", "min": 0.0, "max": 0.5},
    },
}
sweep_id = wandb.sweep(sweep=sweep_configuration, project="demo-graficos")


def train():
    with wandb.init() as run:
        # Entrenamiento simulado: mejor cerca de lr=0.003 y dropout=0.2, con algo de ruido
        c = run.config
        for epoch in range(1, 4):
            val_loss = (
                abs(math.log10(c.lr / 0.003)) / 2 + abs(c.dropout - 0.2) + c.batch_size / 1000
                + 0.3 / epoch + random.random() / 20
            )
            run.log({"epoch": epoch, "val_loss": val_loss})


wandb.agent(sweep_id, function=train, count=12)
