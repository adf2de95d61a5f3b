# Terminal 2, en esta máquina o en otra: un agente
wandb agent tu-entidad/demo-local/sweepID
