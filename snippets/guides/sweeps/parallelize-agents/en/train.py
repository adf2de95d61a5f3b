import os

import wandb

# The GPUs this process may use: recorded in the run's config, next to the hyperparameters
gpu = os.environ.get("CUDA_VISIBLE_DEVICES", "not set")
with wandb.init(config={"cuda_visible_devices": gpu}) as run:
    lr = run.config.lr
    # A stand-in for training: two epochs
    for epoch in range(1, 3):
        run.log({"epoch": epoch, "val_loss": 1 / (1 + epoch * lr * 10)})
