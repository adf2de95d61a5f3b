import wandb

# Compare the runs at brackets 3, 6, 12... and stop those that fall behind
sweep_configuration = {
    "method": "grid",
    "metric": {"name": "val_loss", "goal": "minimize"},
    "early_terminate": {"type": "hyperband", "min_iter": 3, "eta": 2},
    "parameters": {"lr": {"values": [0.1, 0.2, 0.4, 0.05]}},
}
sweep_id = wandb.sweep(sweep_configuration, project="hyperband-demo")


def train():
    with wandb.init() as run:
        for epoch in range(1, 10):
            run.log({"epoch": epoch, "val_loss": run.config.lr * 10 / epoch})


wandb.agent(sweep_id, function=train)

# Each run's final state, and how many epochs it logged
for run in wandb.Api().sweep(f"hyperband-demo/{sweep_id}").runs:
    print(f"lr={run.config['lr']}: {run.state} after {len(run.history())} epochs")
