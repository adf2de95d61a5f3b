import wandb

with wandb.init() as run:
    # Lee los hiperparámetros de la prueba
    lr = run.config.lr
    for epoch in range(run.config.epochs):
        loss = lr / (epoch + 1)
        run.log({"loss": loss})
    print(run.id, "lr =", lr, "loss final =", loss)
