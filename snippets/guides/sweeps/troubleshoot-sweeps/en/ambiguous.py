import wandb

sweep_configuration = {
    "method": "random",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {
        # Wrong: 0 is an int and 0.5 is a float
        "dropout": {"min": 0, "max": 0.5},
    },
}
sweep_id = wandb.sweep(sweep=sweep_configuration, project="troubleshoot-demo")
