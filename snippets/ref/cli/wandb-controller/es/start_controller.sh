export WANDB_PROJECT=referencia-cli-controlador
wandb controller sweepID
