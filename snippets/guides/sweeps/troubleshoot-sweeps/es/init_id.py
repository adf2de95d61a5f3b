import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"lr": {"values": [0.01, 0.1]}},
}


def train():
    # Incorrecto en un barrido: el agente da a cada run un ID propio
    with wandb.init(id="baseline", name="baseline") as run:
        run.log({"val_loss": 1 / (1 + run.config.lr * 10)})


sweep_id = wandb.sweep(sweep=sweep_configuration, project="demo-problemas")
wandb.agent(sweep_id, function=train)
