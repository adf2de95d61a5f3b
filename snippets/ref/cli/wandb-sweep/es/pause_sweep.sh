wandb sweep --pause your-entity/referencia-cli/sweepID
