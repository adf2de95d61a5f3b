wandb sweep --project preemption-demo config.yaml
