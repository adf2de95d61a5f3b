import wandb

with wandb.init() as run:
    lr = run.config.lr
    weight = 1.0
    for epoch in range(1, 3):
        # Un paso de descenso de gradiente sobre la pérdida (weight - 0.5) ** 2
        weight = weight - lr * 2 * (weight - 0.5)
        run.log({"epoch": epoch, "val_loss": (weight - 0.5) ** 2})
