import wandb

sweep_id = wandb.sweep(
    sweep={"method": "grid", "parameters": {"lr": {"values": [0.01]}}},
    project="config-reference",
)


def train():
    with wandb.init() as run:
        # The sweep chose "lr": this change is ignored, with a warning
        run.config.update({"lr": 1.0}, allow_val_change=True)
        print("lr:", run.config.lr)


wandb.agent(sweep_id, function=train, count=1)
