import wandb

# Incorrecto: todavía no hay ningún run en el que registrar
wandb.log({"loss": 0.5})

run = wandb.init(project="referencia-log")
