import wandb

# Random search over two hyperparameters, minimizing "loss"
sweep_configuration = {
    "method": "random",
    "metric": {"goal": "minimize", "name": "loss"},
    "parameters": {
        "lr": {"min": 0.0001, "max": 0.1},
        "batch_size": {"values": [16, 32, 64]},
    },
}

sweep_id = wandb.sweep(sweep=sweep_configuration, project="sweep-reference")

# The sweep is stored: read it back with the public API
sweep = wandb.Api().sweep(f"sweep-reference/{sweep_id}")
print("Sweep ID:", sweep.id)
distribution = sweep.config["parameters"]["lr"]["distribution"]
print("Distribution of lr:", distribution)
