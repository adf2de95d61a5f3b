import argparse
import sys

import wandb

# El agente pasa los hiperparámetros como argumentos de línea de comandos
print("argumentos:", sys.argv[1:])
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--augment", action="store_true")
args = parser.parse_args()

with wandb.init(config=vars(args)) as run:
    run.log({"val_loss": 0.5 if args.augment else 0.6})
