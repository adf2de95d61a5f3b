import wandb


# 1. La función de entrenamiento: lee sus hiperparámetros de la configuración del run
def train():
    with wandb.init() as run:
        lr = run.config.lr
        for epoch in range(1, 4):
            # Un sustituto del entrenamiento: la pérdida baja más rápido con una tasa mayor
            val_loss = 1 / (1 + epoch * lr * 10)
            run.log({"epoch": epoch, "val_loss": val_loss})


# 2. La búsqueda: tres tasas de aprendizaje que probar y la métrica que minimizar
sweep_configuration = {
    "method": "grid",
    "metric": {"goal": "minimize", "name": "val_loss"},
    "parameters": {"lr": {"values": [0.001, 0.01, 0.1]}},
}

# 3. Crea el barrido
sweep_id = wandb.sweep(sweep=sweep_configuration, project="demo-recorrido")

# 4. Ejecuta un agente: llama a train() una vez por tasa de aprendizaje y se detiene
wandb.agent(sweep_id, function=train)

# 5. Lee el barrido terminado y muestra su mejor run
sweep = wandb.Api().sweep(f"demo-recorrido/{sweep_id}")
best = sweep.best_run()
print(f"Barrido {sweep.id}: {sweep.state}, {len(sweep.runs)} runs")
print(f"Mejor run: {best.id}, lr={best.config['lr']}, val_loss={best.summary['val_loss']:.4f}")
