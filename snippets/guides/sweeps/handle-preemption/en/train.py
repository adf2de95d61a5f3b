import json
import os
import signal
import sys

import wandb

run = wandb.init()


def on_preemption(signum, frame):
    # Ask W&B to requeue this run: the next agent runs it again, same ID, same config
    run.mark_preempting()
    # End with a non-zero status, the usual one for a process stopped by a signal
    sys.exit(128 + signum)


# Schedulers and cloud providers announce a preemption with SIGTERM
signal.signal(signal.SIGTERM, on_preemption)

# One checkpoint per run: a requeued run finds its own and goes on from there
checkpoint = f"checkpoint-{run.id}.json"
first_epoch = 1
if os.path.exists(checkpoint):
    with open(checkpoint) as f:
        first_epoch = json.load(f)["epoch"] + 1
    print(f"Run {run.id}: resuming at epoch {first_epoch}")

# A stand-in for training: three epochs, each logged and saved as it ends
for epoch in range(first_epoch, 4):
    val_loss = 1 / (1 + epoch * run.config.lr * 10)
    run.log({"epoch": epoch, "val_loss": val_loss})
    with open(checkpoint, "w") as f:
        json.dump({"epoch": epoch}, f)
run.finish()
