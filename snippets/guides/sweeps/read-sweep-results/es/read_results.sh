python read_results.py tu-entidad/demo-resultados/sweepID
