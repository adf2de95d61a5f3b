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
            # The metric at the top level, under the name the configuration gives it
            run.log({"epoch": epoch, "val_loss": val_loss, "val_acc": 1 - val_loss})


sweep_id = wandb.sweep(sweep=sweep_configuration, project="troubleshoot-demo")
wandb.agent(sweep_id, function=train)
