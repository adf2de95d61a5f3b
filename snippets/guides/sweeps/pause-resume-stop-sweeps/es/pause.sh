wandb sweep --pause tu-entidad/demo-control/sweepID
