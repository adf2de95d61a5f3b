import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"lr": {"values": [0.01, 0.1]}},
}


def train():
    with wandb.init() as run:
        run.log({"val_loss": 1 / (1 + run.config.lr * 10)})


sweep_id = wandb.sweep(sweep=sweep_configuration, project="demo-problemas")
# Hasta 5 runs, pero la cuadrícula tiene 2 combinaciones: el agente se detiene tras 2
wandb.agent(sweep_id, function=train, count=5)
# Un segundo agente en el barrido terminado no encuentra nada que ejecutar
wandb.agent(sweep_id, function=train)
print("Estado del barrido:", wandb.Api().sweep(f"demo-problemas/{sweep_id}").state)
