import sys

import wandb

# La ruta del barrido, entidad/proyecto/ID del barrido, como primer argumento
path = sys.argv[1]
print(wandb.Api().sweep(path).state)
