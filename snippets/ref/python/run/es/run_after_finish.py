import wandb

run = wandb.init(project="referencia-run")
run.log({"loss": 0.5})
run.finish()

# Incorrecto: el run ya terminó
run.log({"loss": 0.4})
