"""Diagnostics the real SDK does not give (documented as mock-only).

When a run that belongs to a sweep finishes without a finite numeric value for
the sweep's metric in its summary, the real SDK says nothing and the sweep
silently has no result for it.  The mock prints one line to stderr, e.g.

    wandb: WARNING (mock) Run abc12345 finished without a numeric value for the sweep metric 'val_loss'; it logged a dict with keys ['a', 'b'] under 'val_loss' instead.

Such runs have no metric value: ``Api().sweep(...).best_run()`` skips them.
The wording is stable: the docs' tests match ``sweep metric '<name>'``.
"""

from __future__ import annotations

import math
from typing import Any

from wandb._term import termwarn


def numeric_metric(summary: dict, name: str) -> float | None:
    """The summary's finite number under ``name`` (bools are not numbers), else None."""
    value = summary.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value):
        return None
    return value


def describe(value: Any) -> str:
    if isinstance(value, dict):
        return f"a dict with keys {sorted(value)!r}"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} items"
    if value is None:
        return "None"
    if isinstance(value, bool):
        return f"a bool ({value!r})"
    if isinstance(value, float):
        return f"a non-finite float ({value!r})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({shown!r})"
    return f"a {type(value).__name__}"


def missing_metric_message(run_id: str, name: str, summary: dict, summary_rule: bool = False) -> str | None:
    if numeric_metric(summary, name) is not None:
        return None
    head = f"(mock) Run {run_id} finished without a numeric value for the sweep metric '{name}'; "
    if name not in summary:
        if summary_rule:
            return head + f"define_metric(summary='none') left '{name}' out of its summary."
        return head + f"it never logged '{name}'."
    if summary_rule and isinstance(summary[name], dict):
        return head + f"a define_metric summary rule put {describe(summary[name])} under '{name}' instead."
    return head + f"it logged {describe(summary[name])} under '{name}' instead."


def warn_missing_sweep_metric(run_id: str, name: str, summary: dict, summary_rule: bool = False) -> None:
    message = missing_metric_message(run_id, name, summary, summary_rule)
    if message:
        termwarn(message)
