import wandb

config = {"lr": 0.01, "batch_size": 32, "debug": True}
run = wandb.init(
    project="referencia-init",
    name="referencia",
    config=wandb.helper.parse_config(config, exclude=("debug",)),
    tags=["base", "referencia"],
)

print("ID:", run.id)
print("Nombre:", run.name)
print("Proyecto:", run.project)
print("Configuración:", dict(run.config))
print("Etiquetas:", run.tags)
print("Es wandb.run:", run is wandb.run)

run.finish()
