import wandb

with wandb.init(project="referencia-run") as run:
    # Una regla de resumen por métrica; "none" deja la métrica fuera del resumen
    run.define_metric("loss", summary="min")
    run.define_metric("acc", summary="max,last")
    run.define_metric("lr", summary="none")
    for loss, acc in [(0.9, 0.5), (0.4, 0.8), (0.6, 0.7)]:
        run.log({"loss": loss, "acc": acc, "lr": 0.01, "epoch_loss": loss})
    # Sin regla, el resumen guarda el último valor (epoch_loss)
    print("loss:", dict(run.summary["loss"]))
    print("acc:", dict(sorted(dict(run.summary["acc"]).items())))
    print("epoch_loss:", run.summary["epoch_loss"])
    print("lr en el resumen:", "lr" in run.summary.keys())
