import wandb

sweep_id = wandb.sweep(
    sweep={"method": "grid", "parameters": {"lr": {"values": [0.1]}}},
    project="referencia-init",
)


def train():
    # Valores por defecto del run: gana el valor de "lr" del barrido
    run = wandb.init(project="otro-proyecto", config={"lr": 0.5, "epochs": 3})
    print("Proyecto:", run.project)
    print("lr:", run.config.lr, "epochs:", run.config.epochs)
    run.finish()


wandb.agent(sweep_id, function=train, count=1)
