wandb sweep --project cli-agent-reference sweep.yaml
