"""``run.define_metric``: how a defined metric shapes the run's summary (wandb 0.31).

In the real SDK these rules live in wandb-core (Go); the mock applies the same ones,
checked against wandb 0.31 offline (tests/conformance):

* ``summary`` lists operations among ``min``, ``max``, ``mean``, ``first``, ``last``:
  the summary then holds a dict of them under the metric's name, for example
  ``{"min": 0.21}``, instead of the last value.  ``none`` removes the key from the
  summary, whatever else is listed.  ``copy`` (deprecated) keeps the last value.
* The operations read every number logged under that name, also the ones logged before
  ``define_metric`` was called; other values (None, strings, dicts) are left out.
  A NaN makes ``min``/``max``/``mean`` NaN, as in wandb-core.
* A name ending in ``*`` is a glob (``val_*``); a definition of the exact name wins over
  a glob.  Without ``overwrite``, a second call for the same name adds to the first
  (``min`` then ``max`` gives both); with ``overwrite=True`` it replaces it.
* Setting the summary key yourself (``run.summary["loss"] = x``) takes it over: from
  then on that key holds the last value again.
* ``step_metric`` with ``step_sync`` (the default when ``step_metric`` is given): a row
  that logs the metric without its step metric gets the step metric's last value, or 0
  when it was never logged; it lands in the row and in the summary.
* ``hidden`` only hides charts in the W&B App: accepted and stored.
"""

from __future__ import annotations

import math
from typing import Any

SUMMARY_OPS = ("min", "max", "mean", "last", "first")


class _Definition:
    __slots__ = ("ops", "step_metric", "step_sync", "hidden")

    def __init__(self) -> None:
        self.ops: set[str] = set()
        self.step_metric: str | None = None
        self.step_sync: bool | None = None
        self.hidden: bool | None = None


class _Stats:
    __slots__ = ("count", "total", "low", "high", "first", "last")

    def __init__(self, value: float) -> None:
        self.count = 1
        self.total = value
        self.low = value
        self.high = value
        self.first = value
        self.last = value

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.low = _nan_min(self.low, value)
        self.high = _nan_max(self.high, value)
        self.last = value

    def get(self, op: str) -> float:
        if op == "min":
            return self.low
        if op == "max":
            return self.high
        if op == "mean":
            return self.total / self.count
        if op == "first":
            return self.first
        return self.last


def _nan_min(a: float, b: float) -> float:
    return a if math.isnan(a) else (b if math.isnan(b) else min(a, b))


def _nan_max(a: float, b: float) -> float:
    return a if math.isnan(a) else (b if math.isnan(b) else max(a, b))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class MetricRules:
    """The define_metric state of one run: definitions, and statistics of logged numbers."""

    def __init__(self) -> None:
        self._exact: dict[str, _Definition] = {}
        self._globs: dict[str, _Definition] = {}
        self._stats: dict[str, _Stats] = {}
        self._user_owned: set[str] = set()
        self._last: dict[str, Any] = {}

    def define(self, metric: Any) -> None:
        """Record a ``Metric`` (merged with earlier calls unless ``overwrite``)."""
        table = self._globs if metric.name.endswith("*") else self._exact
        key = metric.name[:-1] if metric.name.endswith("*") else metric.name
        definition = _Definition() if metric._overwrite or key not in table else table[key]
        if metric._overwrite:
            definition.ops = set()
        definition.ops |= set(metric.summary or ())
        if metric.step_metric:
            definition.step_metric = metric.step_metric
            definition.step_sync = metric.step_sync
        if metric.hidden is not None:
            definition.hidden = metric.hidden
        table[key] = definition

    def _definition(self, key: str) -> _Definition | None:
        if key in self._exact:
            return self._exact[key]
        for prefix, definition in self._globs.items():
            if key.startswith(prefix):
                return definition
        return None

    @property
    def active(self) -> bool:
        return bool(self._exact or self._globs)

    def sync_steps(self, row: dict[str, Any]) -> dict[str, Any]:
        """The step metrics that a row logging ``row`` gains (step_sync)."""
        added: dict[str, Any] = {}
        for key in row:
            definition = self._definition(key)
            if definition is None or not definition.step_metric or not definition.step_sync:
                continue
            step = definition.step_metric
            if step not in row and step not in added:
                added[step] = self._last.get(step, 0)
        return added

    def observe(self, data: dict[str, Any]) -> None:
        """Update the statistics with one log call's values."""
        for key, value in data.items():
            self._last[key] = value
            if _number(value):
                stats = self._stats.get(key)
                if stats is None:
                    self._stats[key] = _Stats(value)
                else:
                    stats.add(value)

    def summary_value(self, key: str) -> tuple[bool, Any]:
        """(keep, value) for a logged key: whether it stays in the summary, and its value
        under the definition's operations; (True, None) means "the plain last value"."""
        if key in self._user_owned:
            return True, None
        definition = self._definition(key)
        if definition is None or not definition.ops:
            return True, None
        if "none" in definition.ops:
            return False, None
        ops = [op for op in SUMMARY_OPS if op in definition.ops]
        stats = self._stats.get(key)
        if not ops or stats is None:
            return True, None
        return True, {op: stats.get(op) for op in sorted(ops)}

    def has_summary_rule(self, key: str) -> bool:
        """Whether define_metric gave this key a summary rule that is in force."""
        definition = self._definition(key)
        return key not in self._user_owned and definition is not None and bool(definition.ops - {"copy"})

    def user_set(self, key: str) -> None:
        self._user_owned.add(key)
