import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"lr": {"values": [0.01, 0.1]}},
}


def train():
    with wandb.init() as run:
        for epoch in range(1, 3):
            val_loss = 1 / (1 + epoch * run.config.lr * 10)
            # Incorrecto: la pérdida acaba bajo "val", en un diccionario anidado, no bajo "val_loss"
            run.log({"epoch": epoch, "val": {"loss": val_loss, "acc": 1 - val_loss}})


sweep_id = wandb.sweep(sweep=sweep_configuration, project="demo-problemas")
wandb.agent(sweep_id, function=train)
