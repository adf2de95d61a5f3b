import wandb

# Wrong: give config_include_keys or config_exclude_keys, not both
run = wandb.init(
    project="init-reference",
    config={"lr": 0.01, "batch_size": 32, "debug": True},
    config_include_keys=["lr", "batch_size"],
    config_exclude_keys=["debug"],
)
