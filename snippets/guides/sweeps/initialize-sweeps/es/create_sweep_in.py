import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"batch_size": {"values": [16, 32, 64]}},
}

# Crea el barrido en el proyecto "mi-primer-barrido" de la entidad "mi-equipo"
sweep_id = wandb.sweep(sweep_configuration, entity="mi-equipo", project="mi-primer-barrido")

# Los agentes y la API pública nombran el barrido por su ruta completa
print(f"mi-equipo/mi-primer-barrido/{sweep_id}")
