# The sweep is already finished (stopped): it cannot be canceled any more
wandb sweep --cancel your-entity/control-demo/sweepID
