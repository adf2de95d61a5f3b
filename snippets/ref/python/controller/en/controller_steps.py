import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {"lr": {"values": [0.1, 0.01]}},
    "controller": {"type": "local"},
}
sweep_id = wandb.sweep(sweep_configuration, project="controller-reference")
tuner = wandb.controller(sweep_id, project="controller-reference")


def train():
    with wandb.init() as run:
        run.log({"loss": run.config.lr})


# A step proposes a run; an agent runs it; the next step sees its result
tuner.step()  # read the sweep, propose the first run
tuner.print_actions()
tuner.print_status()
wandb.agent(sweep_id, function=train, count=1)
tuner.step()
tuner.print_actions()
tuner.print_status()
print("Done:", tuner.done())
