# Dos agentes en segundo plano, uno por GPU, cada uno para 2 runs como máximo
CUDA_VISIBLE_DEVICES=0 wandb agent --count 2 tu-entidad/demo-paralelo/sweepID &
CUDA_VISIBLE_DEVICES=1 wandb agent --count 2 tu-entidad/demo-paralelo/sweepID &
# Espera a que los dos agentes terminen
wait
