import random

import wandb

sweep_configuration = {
    "method": "grid",
    "name": "cuadricula-lr",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {
        "batch_size": {"values": [32, 64]},
        "lr": {"values": [0.001, 0.01, 0.1]},
    },
}
sweep_id = wandb.sweep(sweep=sweep_configuration, project="demo-resultados")


def train():
    with wandb.init() as run:
        # Un sustituto del entrenamiento: la pérdida depende de lr, más algo de ruido
        for epoch in range(1, 4):
            val_loss = abs(run.config.lr - 0.01) * 10 + 0.3 / epoch + random.random() / 20
            run.log({"epoch": epoch, "val_loss": val_loss})


wandb.agent(sweep_id, function=train)
