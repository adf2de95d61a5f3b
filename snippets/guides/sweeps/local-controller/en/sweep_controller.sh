# Terminal 1: create the sweep, then run its controller here
wandb sweep --controller --project local-demo config.yaml
