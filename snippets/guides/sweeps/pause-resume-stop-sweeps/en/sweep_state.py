import sys

import wandb

# The sweep's path, entity/project/sweep ID, as the first argument
path = sys.argv[1]
print(wandb.Api().sweep(path).state)
