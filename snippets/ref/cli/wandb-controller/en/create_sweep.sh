export WANDB_PROJECT=controller-cli-reference
wandb sweep config.yaml
