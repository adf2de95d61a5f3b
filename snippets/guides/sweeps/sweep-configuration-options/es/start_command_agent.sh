wandb agent tu-entidad/demo-macros/sweepID
