import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"lr": {"values": [0.01, 0.1]}},
}


def train():
    # Wrong in a sweep: the agent gives every run an ID of its own
    with wandb.init(id="baseline", name="baseline") as run:
        run.log({"val_loss": 1 / (1 + run.config.lr * 10)})


sweep_id = wandb.sweep(sweep=sweep_configuration, project="troubleshoot-demo")
wandb.agent(sweep_id, function=train)
