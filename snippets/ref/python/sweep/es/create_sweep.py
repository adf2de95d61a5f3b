import wandb

# Búsqueda aleatoria sobre dos hiperparámetros, minimizando "loss"
sweep_configuration = {
    "method": "random",
    "metric": {"goal": "minimize", "name": "loss"},
    "parameters": {
        "lr": {"min": 0.0001, "max": 0.1},
        "batch_size": {"values": [16, 32, 64]},
    },
}

sweep_id = wandb.sweep(sweep=sweep_configuration, project="referencia-barrido")

# El barrido queda guardado: léelo con la API pública
sweep = wandb.Api().sweep(f"referencia-barrido/{sweep_id}")
print("ID del barrido:", sweep.id)
distribution = sweep.config["parameters"]["lr"]["distribution"]
print("Distribución de lr:", distribution)
