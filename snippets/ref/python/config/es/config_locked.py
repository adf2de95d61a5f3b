import wandb

sweep_id = wandb.sweep(
    sweep={"method": "grid", "parameters": {"lr": {"values": [0.01]}}},
    project="referencia-config",
)


def train():
    with wandb.init() as run:
        # El barrido eligió "lr": este cambio se ignora, con una advertencia
        run.config.update({"lr": 1.0}, allow_val_change=True)
        print("lr:", run.config.lr)


wandb.agent(sweep_id, function=train, count=1)
