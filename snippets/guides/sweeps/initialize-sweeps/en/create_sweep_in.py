import wandb

sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"batch_size": {"values": [16, 32, 64]}},
}

# Create the sweep in the project "my-first-sweep" of the entity "my-team"
sweep_id = wandb.sweep(sweep_configuration, entity="my-team", project="my-first-sweep")

# Agents and the public API name the sweep by its full path
print(f"my-team/my-first-sweep/{sweep_id}")
