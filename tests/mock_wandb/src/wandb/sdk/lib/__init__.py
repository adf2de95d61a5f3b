"""See ``wandb.sdk``: a path shim, nothing else."""
