import wandb

run = wandb.init(project="config-reference", config={"lr": 0.01, "epochs": 5})

# Read a value by attribute or by key
print("lr:", wandb.config.lr, wandb.config["lr"])

# Add keys by attribute, by key, or several at once
wandb.config.batch_size = 32
wandb.config["optimizer"] = "adam"
wandb.config.update({"dropout": 0.1})

# Change a value that is already set: say so explicitly
wandb.config.update({"lr": 0.001}, allow_val_change=True)

# Add only the keys that are still missing
wandb.config.setdefaults({"epochs": 50, "seed": 7})

# A key that starts with "_" is stored but hidden
wandb.config["_note"] = "hidden"

print("Keys:", wandb.config.keys())
print("As a dict:", wandb.config.as_dict())
run.finish()
