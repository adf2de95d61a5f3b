import wandb

# Wrong: "metrics" is not a key of the sweep configuration
sweep_configuration = {
    "method": "random",
    "metrics": {"goal": "minimize", "name": "loss"},
    "parameters": {
        "lr": {"min": 0.0001, "max": 0.1},
    },
}

sweep_id = wandb.sweep(sweep=sweep_configuration, project="sweep-reference")
