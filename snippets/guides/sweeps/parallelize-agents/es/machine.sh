# En cada máquina: la ruta completa del mismo barrido
wandb agent tu-entidad/demo-paralelo/sweepID
