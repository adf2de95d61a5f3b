import wandb

sweep_configuration = {
    "method": "random",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {
        # Incorrecto: 0 es un int y 0.5 es un float
        "dropout": {"min": 0, "max": 0.5},
    },
}
sweep_id = wandb.sweep(sweep=sweep_configuration, project="demo-problemas")
