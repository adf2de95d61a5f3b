import wandb

with wandb.init(project="referencia-run", name="demo-contexto") as run:
    print("ID:", run.id, "nombre:", run.name)
    print("Entidad y proyecto:", run.entity, run.project)
    for epoch in range(3):
        run.log({"loss": 1 / (epoch + 1)})
    # El resumen guarda el último valor de cada clave; añade los tuyos
    run.summary["best_loss"] = min(1 / (epoch + 1) for epoch in range(3))
    last_loss = run.summary["loss"]
    print("Último loss:", last_loss)

# Al salir del bloque, el run terminó
stored = wandb.Api().run(f"referencia-run/{run.id}")
print("Estado:", stored.state)
print("Resumen:", {key: stored.summary[key] for key in ("loss", "best_loss")})
