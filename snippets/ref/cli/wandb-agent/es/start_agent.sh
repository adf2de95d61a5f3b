wandb agent --count 2 your-entity/referencia-cli-agente/sweepID
