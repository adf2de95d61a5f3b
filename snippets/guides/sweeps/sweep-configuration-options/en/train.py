import argparse
import sys

import wandb

# The agent passes the hyperparameters as command-line arguments
print("arguments:", sys.argv[1:])
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--augment", action="store_true")
args = parser.parse_args()

with wandb.init(config=vars(args)) as run:
    run.log({"val_loss": 0.5 if args.augment else 0.6})
