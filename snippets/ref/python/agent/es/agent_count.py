import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "loss"},
    "parameters": {
        "lr": {"values": [0.1, 0.01, 0.001]},
        "epochs": {"value": 2},
    },
}
sweep_id = wandb.sweep(sweep=sweep_configuration, project="referencia-agente")


def train():
    # El agente ya preparó los hiperparámetros de este run
    with wandb.init() as run:
        for epoch in range(run.config.epochs):
            run.log({"loss": run.config.lr / (epoch + 1)})


# Ejecuta como máximo dos pruebas del barrido, en este proceso
wandb.agent(sweep_id, function=train, count=2)

sweep = wandb.Api().sweep(f"referencia-agente/{sweep_id}")
for run in sweep.runs:
    print(run.id, run.state, "lr =", run.config["lr"])
