# Terminal 1, en la misma carpeta: el controlador
export WANDB_PROJECT=demo-local
wandb controller sweepID
