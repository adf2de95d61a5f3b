wandb sweep --stop tu-entidad/demo-control/sweepID
