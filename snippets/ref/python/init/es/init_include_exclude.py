import wandb

# Incorrecto: usa config_include_keys o config_exclude_keys, no los dos
run = wandb.init(
    project="referencia-init",
    config={"lr": 0.01, "batch_size": 32, "debug": True},
    config_include_keys=["lr", "batch_size"],
    config_exclude_keys=["debug"],
)
