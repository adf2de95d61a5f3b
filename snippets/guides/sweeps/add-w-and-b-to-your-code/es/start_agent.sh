wandb agent --count $NUM tu-entidad/demo-barrido-cli/sweepID
