import wandb

# Minimiza val_loss y termina el barrido cuando un run llegue a 0.1
sweep_configuration = {
    "method": "grid",
    "metric": {"name": "val_loss", "goal": "minimize", "target": 0.1},
    "parameters": {"lr": {"values": [0.4, 0.08, 0.02, 0.01]}},
}
sweep_id = wandb.sweep(sweep_configuration, project="demo-objetivo")


def train():
    with wandb.init() as run:
        for epoch in range(1, 4):
            run.log({"epoch": epoch, "val_loss": run.config.lr * 4 / epoch})


wandb.agent(sweep_id, function=train)

# El estado del barrido y luego las pérdidas de cada run, una línea por run
sweep = wandb.Api().sweep(f"demo-objetivo/{sweep_id}")
print("Barrido:", sweep.state)
for run in sweep.runs:
    losses = ", ".join(f"{row['val_loss']:.3f}" for row in run.history())
    print(f"lr={run.config['lr']}: {run.state}, val_loss {losses}")
