import numpy as np

import wandb

with wandb.init(project="referencia-histograma") as run:
    for epoch in range(1, 4):
        # Un sustituto de los pesos de una capa, que se dispersan a medida que avanza el entrenamiento
        weights = np.random.default_rng(epoch).normal(0, epoch / 10, size=1000)
        run.log({"epoch": epoch, "weights": wandb.Histogram(weights)})
    # El resumen guarda el último histograma: 64 recuentos y los 65 bordes de sus intervalos
    last = run.summary["weights"]
    print(last["_type"], len(last["values"]), len(last["bins"]), sum(last["values"]))

    # Recuentos que ya calculaste: pasa el par (recuentos, bordes) de numpy como np_histogram
    counts, edges = np.histogram(weights, bins=5)
    run.log({"weights_5_bins": wandb.Histogram(np_histogram=(counts, edges))})
    print(run.summary["weights_5_bins"]["values"])
