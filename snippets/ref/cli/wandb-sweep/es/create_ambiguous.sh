wandb sweep --project referencia-cli ambiguous.yaml
