# Two agents in the background, one per GPU, each for at most 2 runs
CUDA_VISIBLE_DEVICES=0 wandb agent --count 2 your-entity/parallel-demo/sweepID &
CUDA_VISIBLE_DEVICES=1 wandb agent --count 2 your-entity/parallel-demo/sweepID &
# Wait until both agents have exited
wait
