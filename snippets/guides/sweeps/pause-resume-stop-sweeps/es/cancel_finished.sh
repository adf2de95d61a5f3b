# El barrido ya terminó (se detuvo): ya no se puede cancelar
wandb sweep --cancel tu-entidad/demo-control/sweepID
