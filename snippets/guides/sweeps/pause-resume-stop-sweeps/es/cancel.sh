wandb sweep --cancel tu-entidad/demo-control/sweepID
