import subprocess

import wandb

sweep_configuration = {
    "program": "train.py",
    "method": "grid",
    "metric": {"name": "val_loss", "goal": "minimize"},
    "parameters": {"lr": {"values": [0.1, 0.01, 0.001]}},
    "controller": {"type": "local"},
}
sweep_id = wandb.sweep(sweep_configuration, project="local-demo")

# An agent in a process of its own: it waits for the controller's proposals
agent = subprocess.Popen(["wandb", "agent", "--project", "local-demo", sweep_id])

# The controller, in this process, until the grid is done
tuner = wandb.controller(sweep_id, project="local-demo")
tuner.run(verbose=True)
agent.wait()
