# Terminal 1: crea el barrido y luego ejecuta aquí su controlador
wandb sweep --controller --project demo-local config.yaml
