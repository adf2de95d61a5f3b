# Inicia tres agentes en segundo plano, uno por GPU
for gpu in 0 1 2; do
  CUDA_VISIBLE_DEVICES=$gpu wandb agent tu-entidad/demo-agentes/sweepID &
done
# Espera a que todos los agentes terminen
wait
