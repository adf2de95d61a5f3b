import wandb

run = wandb.init(project="referencia-config", config={"lr": 0.01, "epochs": 5})

# Lee un valor por atributo o por clave
print("lr:", wandb.config.lr, wandb.config["lr"])

# Añade claves por atributo, por clave o varias a la vez
wandb.config.batch_size = 32
wandb.config["optimizer"] = "adam"
wandb.config.update({"dropout": 0.1})

# Cambia un valor que ya existe: indícalo de forma explícita
wandb.config.update({"lr": 0.001}, allow_val_change=True)

# Añade solo las claves que todavía faltan
wandb.config.setdefaults({"epochs": 50, "seed": 7})

# Una clave que empieza por "_" se guarda pero queda oculta
wandb.config["_note"] = "oculta"

print("Claves:", wandb.config.keys())
print("Como dict:", wandb.config.as_dict())
run.finish()
