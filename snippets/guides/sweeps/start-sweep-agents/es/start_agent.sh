wandb agent --count 3 tu-entidad/demo-agentes/sweepID
