# Start three agents in the background, one per GPU
for gpu in 0 1 2; do
  CUDA_VISIBLE_DEVICES=$gpu wandb agent your-entity/agents-demo/sweepID &
done
# Wait until every agent has exited
wait
