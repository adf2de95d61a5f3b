import signal
import sys

import wandb


def on_preemption(signum, frame):
    wandb.run.mark_preempting()
    sys.exit(128 + signum)


def train():
    with wandb.init() as run:
        # Incorrecto: wandb.agent ejecuta train() en un hilo, donde no se puede fijar un manejador
        signal.signal(signal.SIGTERM, on_preemption)
        run.log({"val_loss": 1 / (1 + run.config.lr * 10)})


sweep_id = wandb.sweep(
    {"method": "grid", "parameters": {"lr": {"values": [0.001]}}},
    project="demo-interrupcion",
)
wandb.agent(sweep_id, function=train)
