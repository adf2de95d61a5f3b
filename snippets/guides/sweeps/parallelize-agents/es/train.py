import os

import wandb

# Las GPU que puede usar este proceso: quedan en la configuración del run, junto a los hiperparámetros
gpu = os.environ.get("CUDA_VISIBLE_DEVICES", "sin definir")
with wandb.init(config={"cuda_visible_devices": gpu}) as run:
    lr = run.config.lr
    # Un sustituto del entrenamiento: dos épocas
    for epoch in range(1, 3):
        run.log({"epoch": epoch, "val_loss": 1 / (1 + epoch * lr * 10)})
