wandb sweep --project mi-primer-barrido config.yaml
