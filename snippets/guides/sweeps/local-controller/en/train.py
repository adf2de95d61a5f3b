import wandb

# The agent runs this script once per run, with the hyperparameters the controller chose
with wandb.init() as run:
    lr = run.config.lr
    for epoch in range(1, 4):
        val_loss = lr / epoch  # a stand-in for a real validation loss
        run.log({"epoch": epoch, "val_loss": val_loss})
