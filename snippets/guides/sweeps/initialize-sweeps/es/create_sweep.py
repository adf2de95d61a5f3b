import wandb

# Qué buscar y qué optimizar
sweep_configuration = {
    "method": "random",
    "name": "primer-barrido",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {
        "batch_size": {"values": [16, 32, 64]},
        "lr": {"min": 0.0001, "max": 0.1},
    },
}

# Crea el barrido: wandb.sweep devuelve su ID
sweep_id = wandb.sweep(sweep=sweep_configuration, project="mi-primer-barrido")

# Guarda el ID: cada agente de este barrido lo necesita
print(f"ID del barrido: {sweep_id}")
