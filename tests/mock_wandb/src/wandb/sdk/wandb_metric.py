"""``wandb.sdk.wandb_metric.Metric``: what ``run.define_metric()`` returns (wandb 0.31).

Same constructor, properties and defaults as the real class: ``step_sync`` defaults to
True when a ``step_metric`` is given, else False; ``summary`` is a tuple of the summary
operations or None.  ``_commit`` hands the definition to the run, which applies it to
the summary (see ``wandb/_metrics.py``); the real one sends a MetricRecord to wandb-core.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


class Metric:
    """Metric object."""

    _callback: Callable[[Any], None] | None
    _name: str
    _step_metric: str | None
    _step_sync: bool | None
    _hidden: bool | None
    _summary: Sequence[str] | None
    _overwrite: bool | None

    def __init__(
        self,
        name: str,
        step_metric: str | None = None,
        step_sync: bool | None = None,
        hidden: bool | None = None,
        summary: Sequence[str] | None = None,
        overwrite: bool | None = None,
    ) -> None:
        self._callback = None
        self._name = name
        self._step_metric = step_metric
        # default to step_sync=True if step metric is set
        step_sync = step_sync if step_sync is not None else step_metric is not None
        self._step_sync = step_sync
        self._hidden = hidden
        self._summary = summary
        self._overwrite = overwrite

    def _set_callback(self, cb: Callable[[Any], None]) -> None:
        self._callback = cb

    @property
    def name(self) -> str:
        return self._name

    @property
    def step_metric(self) -> str | None:
        return self._step_metric

    @property
    def step_sync(self) -> bool | None:
        return self._step_sync

    @property
    def summary(self) -> tuple[str, ...] | None:
        if self._summary is None:
            return None
        return tuple(self._summary)

    @property
    def hidden(self) -> bool | None:
        return self._hidden

    def _commit(self) -> None:
        if self._callback:
            self._callback(self)
