import random

import wandb

# The agent has chosen this run's hyperparameters: wandb.init() reads them
with wandb.init() as run:
    lr = run.config.lr
    batch_size = run.config.batch_size
    # A stand-in for training: one validation loss per epoch
    for epoch in range(1, 4):
        val_loss = 1 / (epoch * lr * 100) + batch_size / 1000 + random.random() / 10
        run.log({"epoch": epoch, "val_loss": val_loss})
