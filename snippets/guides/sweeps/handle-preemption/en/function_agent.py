import signal
import sys

import wandb


def on_preemption(signum, frame):
    wandb.run.mark_preempting()
    sys.exit(128 + signum)


def train():
    with wandb.init() as run:
        # Wrong: wandb.agent runs train() in a thread, where no handler can be set
        signal.signal(signal.SIGTERM, on_preemption)
        run.log({"val_loss": 1 / (1 + run.config.lr * 10)})


sweep_id = wandb.sweep(
    {"method": "grid", "parameters": {"lr": {"values": [0.001]}}},
    project="preemption-demo",
)
wandb.agent(sweep_id, function=train)
