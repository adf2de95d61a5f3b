import wandb

with wandb.init() as run:
    # Read the trial's hyperparameters
    lr = run.config.lr
    for epoch in range(run.config.epochs):
        loss = lr / (epoch + 1)
        run.log({"loss": loss})
    print(run.id, "lr =", lr, "final loss =", loss)
