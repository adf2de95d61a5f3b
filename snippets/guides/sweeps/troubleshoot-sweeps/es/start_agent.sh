wandb agent tu-entidad/demo-problemas/sweepID
