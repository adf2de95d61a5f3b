import numpy as np

import wandb

with wandb.init(project="histogram-reference") as run:
    for epoch in range(1, 4):
        # A stand-in for a layer's weights, which spread out as training goes on
        weights = np.random.default_rng(epoch).normal(0, epoch / 10, size=1000)
        run.log({"epoch": epoch, "weights": wandb.Histogram(weights)})
    # The summary keeps the last histogram: 64 counts and the 65 edges of their bins
    last = run.summary["weights"]
    print(last["_type"], len(last["values"]), len(last["bins"]), sum(last["values"]))

    # Counts you computed already: pass numpy's (counts, edges) pair as np_histogram
    counts, edges = np.histogram(weights, bins=5)
    run.log({"weights_5_bins": wandb.Histogram(np_histogram=(counts, edges))})
    print(run.summary["weights_5_bins"]["values"])
