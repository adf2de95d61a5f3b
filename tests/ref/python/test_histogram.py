"""docs/{en,es}/ref/python/histogram.md: wandb.Histogram from values and from numpy's counts, logged and read back."""

from __future__ import annotations

import numpy as np
import pytest

PROJECT = {"en": "histogram-reference", "es": "referencia-histograma"}


def test_log_histograms(listings, lang):
    result = listings.run("histogram", lang).check()
    listings.check_output("histogram-output", lang, result.stdout)
    assert result.stderr == ""
    (run,) = result.api().runs(PROJECT[lang])
    rows = run.history()
    weights = [row["weights"] for row in rows if "weights" in row]
    assert len(weights) == 3 and all(w["_type"] == "histogram" and len(w["values"]) == 64 for w in weights)
    # The weights spread out: the last histogram covers a wider range than the first.
    assert weights[-1]["bins"][-1] - weights[-1]["bins"][0] > weights[0]["bins"][-1] - weights[0]["bins"][0]
    last = np.random.default_rng(3).normal(0, 0.3, size=1000)
    assert run.summary["weights_5_bins"]["values"] == np.histogram(last, bins=5)[0].tolist()


def test_documented_errors(mock_wandb):
    with pytest.raises(ValueError, match=r"^The maximum length of a histogram is 512$"):
        mock_wandb.Histogram(list(range(600)), num_bins=513)
    with pytest.raises(ValueError, match=r"^len\(bins\) must be len\(histogram\) \+ 1$"):
        mock_wandb.Histogram(np_histogram=([1, 2], [0, 1]))
    with pytest.raises(ValueError, match=r"^Expected np_histogram to be a tuple of \(values, bin_edges\) or sequence to be specified$"):
        mock_wandb.Histogram(np_histogram=([1, 2],))
    with pytest.raises(ValueError, match=r"^`bins` must be positive, when an integer$"):
        mock_wandb.Histogram([1.0], num_bins=0)
    assert len(mock_wandb.Histogram([1.0, 2.0]).histogram) == 64
