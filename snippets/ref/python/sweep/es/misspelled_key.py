import wandb

# Incorrecto: "metrics" no es una clave de la configuración del barrido
sweep_configuration = {
    "method": "random",
    "metrics": {"goal": "minimize", "name": "loss"},
    "parameters": {
        "lr": {"min": 0.0001, "max": 0.1},
    },
}

sweep_id = wandb.sweep(sweep=sweep_configuration, project="referencia-barrido")
