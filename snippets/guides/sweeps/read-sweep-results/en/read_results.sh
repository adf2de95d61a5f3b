python read_results.py your-entity/results-demo/sweepID
