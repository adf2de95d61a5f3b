import wandb

run = wandb.init(project="referencia-run")
# Incorrecto: "best" no es una regla de resumen de wandb 0.31
run.define_metric("loss", summary="best")
