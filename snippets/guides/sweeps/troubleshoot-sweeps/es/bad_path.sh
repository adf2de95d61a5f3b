# Incorrecto: copiado de la dirección web del barrido, con "sweeps/" en medio
wandb agent tu-entidad/demo-problemas/sweeps/sweepID
