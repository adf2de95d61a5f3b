import wandb

# Wrong: one bound is an int, the other a float
sweep_configuration = {
    "method": "random",
    "metric": {"goal": "minimize", "name": "loss"},
    "parameters": {
        "lr": {"min": 0, "max": 0.1},
    },
}

sweep_id = wandb.sweep(sweep=sweep_configuration, project="sweep-reference")
