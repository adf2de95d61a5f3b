"""``wandb.Histogram`` (wandb/sdk/data_types/histogram.py in wandb 0.31).

Same arguments, defaults (64 bins), limits (512 bins) and messages as the real class:
from a sequence it calls ``numpy.histogram(sequence, bins=num_bins)`` (so numpy's own
errors surface, e.g. ``ValueError: `bins` must be positive, when an integer``); from
``np_histogram`` it takes the ``(values, bin_edges)`` pair as given.  Logged, it becomes
``{"_type": "histogram", "values": [...], "bins": [...]}`` in the history and the
summary, like the real one.  numpy is imported only when a histogram is computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .base_types.wb_value import WBValue

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    NumpyHistogram = tuple[np.ndarray, np.ndarray]
    LocalRun = object
    Artifact = object


class Histogram(WBValue):
    """W&B class for histograms.

    This object works just like numpy's histogram function
    https://docs.scipy.org/doc/numpy/reference/generated/numpy.histogram.html

    Attributes:
        bins ([float]): Edges of bins
        histogram  ([int]): Number of elements falling in each bin.
    """

    MAX_LENGTH: int = 512
    _log_type = "histogram"

    def __init__(
        self,
        sequence: Sequence | None = None,
        np_histogram: NumpyHistogram | None = None,
        num_bins: int = 64,
    ) -> None:
        """A histogram of ``sequence`` in ``num_bins`` bins, or the precomputed ``np_histogram``."""
        if np_histogram:
            if len(np_histogram) == 2:
                self.histogram = np_histogram[0].tolist() if hasattr(np_histogram[0], "tolist") else np_histogram[0]
                self.bins = np_histogram[1].tolist() if hasattr(np_histogram[1], "tolist") else np_histogram[1]
            else:
                raise ValueError(
                    "Expected np_histogram to be a tuple of (values, bin_edges) or sequence to be specified"
                )
        else:
            import numpy as np

            histogram, bins = np.histogram(sequence, bins=num_bins)
            self.histogram = histogram.tolist()
            self.bins = bins.tolist()
        if len(self.histogram) > self.MAX_LENGTH:
            raise ValueError(f"The maximum length of a histogram is {self.MAX_LENGTH}")
        if len(self.histogram) + 1 != len(self.bins):
            raise ValueError("len(bins) must be len(histogram) + 1")

    def to_json(self, run: LocalRun | Artifact | None = None) -> dict:
        """Returns the JSON representation expected by the backend."""
        return {"_type": self._log_type, "values": self.histogram, "bins": self.bins}
