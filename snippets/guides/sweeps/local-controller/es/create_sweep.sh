export WANDB_PROJECT=demo-local
wandb sweep config.yaml
