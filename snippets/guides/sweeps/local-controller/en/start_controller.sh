# Terminal 1, in the same folder: the controller
export WANDB_PROJECT=local-demo
wandb controller sweepID
