import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {"lr": {"values": [0.1, 0.01]}},
    "controller": {"type": "local"},
}
sweep_id = wandb.sweep(sweep_configuration, project="referencia-controlador")
tuner = wandb.controller(sweep_id, project="referencia-controlador")


def train():
    with wandb.init() as run:
        run.log({"loss": run.config.lr})


# Un paso propone un run; un agente lo ejecuta; el paso siguiente ve su resultado
tuner.step()  # lee el barrido, propone el primer run
tuner.print_actions()
tuner.print_status()
wandb.agent(sweep_id, function=train, count=1)
tuner.step()
tuner.print_actions()
tuner.print_status()
print("Terminado:", tuner.done())
