python plot_sweep.py your-entity/plots-demo/sweepID
