wandb sweep --project cli-reference ambiguous.yaml
