import wandb

# Compara los runs en los brackets 3, 6, 12... y detén los que se quedan atrás
sweep_configuration = {
    "method": "grid",
    "metric": {"name": "val_loss", "goal": "minimize"},
    "early_terminate": {"type": "hyperband", "min_iter": 3, "eta": 2},
    "parameters": {"lr": {"values": [0.1, 0.2, 0.4, 0.05]}},
}
sweep_id = wandb.sweep(sweep_configuration, project="demo-hyperband")


def train():
    with wandb.init() as run:
        for epoch in range(1, 10):
            run.log({"epoch": epoch, "val_loss": run.config.lr * 10 / epoch})


wandb.agent(sweep_id, function=train)

# El estado final de cada run y cuántos epochs registró
for run in wandb.Api().sweep(f"demo-hyperband/{sweep_id}").runs:
    print(f"lr={run.config['lr']}: {run.state} tras {len(run.history())} epochs")
