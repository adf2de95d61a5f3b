import wandb

# Incorrecto: bayes necesita una métrica que optimizar, y no hay ninguna
sweep_configuration = {
    "method": "bayes",
    "parameters": {
        "lr": {"min": 0.0001, "max": 0.1},
    },
}

sweep_id = wandb.sweep(sweep=sweep_configuration, project="referencia-barrido")
