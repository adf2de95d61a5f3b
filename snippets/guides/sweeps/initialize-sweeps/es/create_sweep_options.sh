wandb sweep --entity mi-equipo --project mi-primer-barrido --name busqueda-lr config.yaml
