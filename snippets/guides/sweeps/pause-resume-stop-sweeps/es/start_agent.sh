wandb agent tu-entidad/demo-control/sweepID
