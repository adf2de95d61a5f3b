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
sweep_id = wandb.sweep(sweep=sweep_configuration, project="agents-demo")


def train():
    # The agent has chosen this run's hyperparameters: wandb.init() reads them
    with wandb.init() as run:
        lr = run.config.lr
        batch_size = run.config.batch_size
        # A stand-in for training: one validation loss per epoch
        for epoch in range(1, 4):
            val_loss = 1 / (epoch * lr * 100) + batch_size / 1000 + random.random() / 10
            run.log({"epoch": epoch, "val_loss": val_loss})


# Call train() three times, each time with new hyperparameters
wandb.agent(sweep_id, function=train, count=3)
