import wandb

# Incorrecto: un límite es un int y el otro un float
sweep_configuration = {
    "method": "random",
    "metric": {"goal": "minimize", "name": "loss"},
    "parameters": {
        "lr": {"min": 0, "max": 0.1},
    },
}

sweep_id = wandb.sweep(sweep=sweep_configuration, project="referencia-barrido")
