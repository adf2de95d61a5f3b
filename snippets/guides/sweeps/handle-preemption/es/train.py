import json
import os
import signal
import sys

import wandb

run = wandb.init()


def on_preemption(signum, frame):
    # Pide a W&B que vuelva a encolar este run: el próximo agente lo ejecuta de nuevo, mismo ID y config
    run.mark_preempting()
    # Termina con un estado distinto de cero, el habitual de un proceso detenido por una señal
    sys.exit(128 + signum)


# Los planificadores y los proveedores de nube anuncian una interrupción con SIGTERM
signal.signal(signal.SIGTERM, on_preemption)

# Un punto de control por run: un run reencolado encuentra el suyo y sigue desde ahí
checkpoint = f"checkpoint-{run.id}.json"
first_epoch = 1
if os.path.exists(checkpoint):
    with open(checkpoint) as f:
        first_epoch = json.load(f)["epoch"] + 1
    print(f"Run {run.id}: se reanuda en la época {first_epoch}")

# Un sustituto del entrenamiento: tres épocas, cada una registrada y guardada al terminar
for epoch in range(first_epoch, 4):
    val_loss = 1 / (1 + epoch * run.config.lr * 10)
    run.log({"epoch": epoch, "val_loss": val_loss})
    with open(checkpoint, "w") as f:
        json.dump({"epoch": epoch}, f)
run.finish()
