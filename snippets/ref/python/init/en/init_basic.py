import wandb

config = {"lr": 0.01, "batch_size": 32, "debug": True}
run = wandb.init(
    project="init-reference",
    name="baseline",
    config=wandb.helper.parse_config(config, exclude=("debug",)),
    tags=["baseline", "reference"],
)

print("ID:", run.id)
print("Name:", run.name)
print("Project:", run.project)
print("Config:", dict(run.config))
print("Tags:", run.tags)
print("Is wandb.run:", run is wandb.run)

run.finish()
