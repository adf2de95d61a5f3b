import wandb

sweep_id = wandb.sweep(
    sweep={"method": "grid", "parameters": {"lr": {"values": [0.1]}}},
    project="init-reference",
)


def train():
    # Defaults for the run: the sweep's value of "lr" wins
    run = wandb.init(project="another-project", config={"lr": 0.5, "epochs": 3})
    print("Project:", run.project)
    print("lr:", run.config.lr, "epochs:", run.config.epochs)
    run.finish()


wandb.agent(sweep_id, function=train, count=1)
