import wandb

with wandb.init() as run:
    lr = run.config.lr
    # A stand-in for training: three epochs, each logged as it ends
    for epoch in range(1, 4):
        val_loss = 1 / (1 + epoch * lr * 10)
        run.log({"epoch": epoch, "val_loss": val_loss})
