export WANDB_PROJECT=referencia-cli-controlador
wandb sweep config.yaml
