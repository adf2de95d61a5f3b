import wandb

sweep_configuration = {
    "method": "random",
    "parameters": {"lr": {"min": 0.0001, "max": 0.1}},
}
sweep_id = wandb.sweep(sweep=sweep_configuration, project="referencia-agente")


def train():
    with wandb.init() as run:
        # Incorrecto: el barrido define "lr", no "learning_rate"
        learning_rate = run.config["learning_rate"]
        run.log({"loss": learning_rate})


wandb.agent(sweep_id, function=train, count=5)
