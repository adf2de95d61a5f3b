wandb sweep --resume tu-entidad/demo-control/sweepID
