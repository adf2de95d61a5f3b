import random

import wandb

# Define la configuración del barrido
sweep_configuration = {
    "method": "random",
    "name": "barrido",
    "metric": {"goal": "maximize", "name": "val_acc"},
    "parameters": {
        "batch_size": {"values": [16, 32, 64]},
        "epochs": {"values": [5, 10, 15]},
        "lr": {"max": 0.1, "min": 0.0001},
    },
}

# Inicializa el barrido con la configuración.
# (Opcional) Indica el nombre de un proyecto.
sweep_id = wandb.sweep(sweep=sweep_configuration, project="mi-primer-barrido")


# Las funciones de entrenamiento y evaluación reciben
# los hiperparámetros como argumentos y devuelven las
# métricas de un epoch (aquí, simuladas con números aleatorios)
def train_one_epoch(epoch, lr, bs):
    acc = 0.25 + ((epoch / 30) + (random.random() / 10))
    loss = 0.2 + (1 - ((epoch - 1) / 10 + random.random() / 5))
    return acc, loss


def evaluate_one_epoch(epoch):
    acc = 0.1 + ((epoch / 20) + (random.random() / 10))
    loss = 0.25 + (1 - ((epoch - 1) / 10 + random.random() / 6))
    return acc, loss


def main():
    wandb.init()

    # Lee los hiperparámetros de `wandb.config`
    # en lugar de fijarlos en el código
    lr = wandb.config.lr
    bs = wandb.config.batch_size
    epochs = wandb.config.epochs

    for epoch in range(1, epochs + 1):
        train_acc, train_loss = train_one_epoch(epoch, lr, bs)
        val_acc, val_loss = evaluate_one_epoch(epoch)

        wandb.log(
            {
                "epoch": epoch,
                "train_acc": train_acc,
                "train_loss": train_loss,
                "val_acc": val_acc,
                "val_loss": val_loss,
            }
        )


# Inicia el trabajo de barrido.
wandb.agent(sweep_id, function=main, count=4)
