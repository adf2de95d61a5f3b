import wandb

run = wandb.init(project="referencia-config", config={"lr": 0.01})

# Incorrecto: "lr" ya tiene un valor, y la llamada no permite cambiarlo
wandb.config.update({"lr": 0.1})
