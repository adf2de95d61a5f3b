import wandb

# What to search and what to optimize
sweep_configuration = {
    "method": "random",
    "name": "first-sweep",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {
        "batch_size": {"values": [16, 32, 64]},
        "lr": {"min": 0.0001, "max": 0.1},
    },
}

# Create the sweep: wandb.sweep returns its ID
sweep_id = wandb.sweep(sweep=sweep_configuration, project="my-first-sweep")

# Keep the ID: every agent of this sweep needs it
print(f"Sweep ID: {sweep_id}")
