import wandb

with wandb.init(project="referencia-run") as run:
    run.log({"loss": 0.5})
    # Una excepción sale del bloque: el run queda marcado como fallido
    raise RuntimeError("el entrenamiento divergió")
