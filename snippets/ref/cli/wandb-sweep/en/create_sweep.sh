wandb sweep --project cli-reference --name first-try sweep.yaml
