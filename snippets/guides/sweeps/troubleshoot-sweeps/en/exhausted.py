import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"lr": {"values": [0.01, 0.1]}},
}


def train():
    with wandb.init() as run:
        run.log({"val_loss": 1 / (1 + run.config.lr * 10)})


sweep_id = wandb.sweep(sweep=sweep_configuration, project="troubleshoot-demo")
# Up to 5 runs, but the grid has 2 combinations: the agent stops after 2
wandb.agent(sweep_id, function=train, count=5)
# A second agent on the finished sweep finds nothing to run
wandb.agent(sweep_id, function=train)
print("Sweep state:", wandb.Api().sweep(f"troubleshoot-demo/{sweep_id}").state)
