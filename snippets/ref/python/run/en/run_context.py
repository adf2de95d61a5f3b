import wandb

with wandb.init(project="run-reference", name="context-demo") as run:
    print("ID:", run.id, "name:", run.name)
    print("Entity and project:", run.entity, run.project)
    for epoch in range(3):
        run.log({"loss": 1 / (epoch + 1)})
    # The summary holds the last value of each key; add your own
    run.summary["best_loss"] = min(1 / (epoch + 1) for epoch in range(3))
    last_loss = run.summary["loss"]
    print("Last loss:", last_loss)

# Leaving the block finished the run
stored = wandb.Api().run(f"run-reference/{run.id}")
print("State:", stored.state)
print("Summary:", {key: stored.summary[key] for key in ("loss", "best_loss")})
