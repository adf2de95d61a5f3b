import wandb

# Wrong: bayes needs a metric to optimize, and there is none
sweep_configuration = {
    "method": "bayes",
    "parameters": {
        "lr": {"min": 0.0001, "max": 0.1},
    },
}

sweep_id = wandb.sweep(sweep=sweep_configuration, project="sweep-reference")
