wandb sweep --project referencia-cli-agente sweep.yaml
