import subprocess

import wandb

sweep_configuration = {
    "program": "train.py",
    "method": "grid",
    "metric": {"name": "val_loss", "goal": "minimize"},
    "parameters": {"lr": {"values": [0.1, 0.01, 0.001]}},
    "controller": {"type": "local"},
}
sweep_id = wandb.sweep(sweep_configuration, project="demo-local")

# Un agente en un proceso propio: espera las propuestas del controlador
agent = subprocess.Popen(["wandb", "agent", "--project", "demo-local", sweep_id])

# El controlador, en este proceso, hasta terminar la cuadrícula
tuner = wandb.controller(sweep_id, project="demo-local")
tuner.run(verbose=True)
agent.wait()
