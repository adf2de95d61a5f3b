wandb sweep --project referencia-cli --name primer-intento sweep.yaml
