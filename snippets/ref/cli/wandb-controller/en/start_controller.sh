export WANDB_PROJECT=controller-cli-reference
wandb controller sweepID
