python plot_sweep.py tu-entidad/demo-graficos/sweepID
