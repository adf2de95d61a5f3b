export WANDB_PROJECT=local-demo
wandb sweep config.yaml
