import wandb


# 1. The training function: it reads its hyperparameters from the run's config
def train():
    with wandb.init() as run:
        lr = run.config.lr
        for epoch in range(1, 4):
            # A stand-in for training: the loss falls faster with a larger learning rate
            val_loss = 1 / (1 + epoch * lr * 10)
            run.log({"epoch": epoch, "val_loss": val_loss})


# 2. The search: three learning rates to try, and the metric to minimize
sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"lr": {"values": [0.001, 0.01, 0.1]}},
}

# 3. Create the sweep
sweep_id = wandb.sweep(sweep=sweep_configuration, project="walkthrough-demo")

# 4. Run an agent: it calls train() once per learning rate, then stops
wandb.agent(sweep_id, function=train)

# 5. Read the finished sweep back and print its best run
sweep = wandb.Api().sweep(f"walkthrough-demo/{sweep_id}")
best = sweep.best_run()
print(f"Sweep {sweep.id}: {sweep.state}, {len(sweep.runs)} runs")
print(f"Best run: {best.id}, lr={best.config['lr']}, val_loss={best.summary['val_loss']:.4f}")
