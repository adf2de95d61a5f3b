"""``wandb.Api()``: read sweeps and runs back from the local store.

Paths are ``entity/project/id`` (``project/id`` and ``id`` use the defaults).
Differences from the real public API, deliberate:

* ``Run.history()`` returns a list of dicts (the real one returns a pandas
  DataFrame by default, a list with ``pandas=False``); the mock never imports pandas.
* ``Run.name`` is the name given to ``wandb.init`` or else the run id (the real
  server generates display names like ``fancy-sun-12``).
* ``Sweep.best_run()`` only considers runs whose summary has a finite number
  under the metric; runs that logged something else there are skipped (see
  _diagnostics.py).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from wandb import _settings
from wandb.apis import public  # noqa: F401  (the annotations read "public.Run" as in the real SDK)
from wandb._term import termlog, termwarn
from wandb.errors import CommError


def _split_path(path: str, kind: str) -> tuple[str, str, str]:
    parts = [p for p in path.strip("/").split("/") if p]
    if parts and parts[-2:-1] in (["runs"], ["sweeps"]):
        parts = parts[:-2] + parts[-1:]  # entity/project/runs/id, as in a URL
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    if len(parts) == 2:
        return _settings.default_entity(), parts[0], parts[1]
    if len(parts) == 1:
        return _settings.default_entity(), _settings.default_project(), parts[0]
    raise ValueError(f"Invalid {kind} path: {path!r}")


class SummaryView(dict):
    """A run's summary as stored (nested dicts kept), readable by item and attribute."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


class _Stored:
    """What runs and sweeps read from the store have in common: a row and its path."""

    def __init__(self, row: dict[str, Any]):
        self._row = row

    @property
    def id(self) -> str:
        return self._row["id"]

    @property
    def entity(self) -> str:
        return self._row["entity"]

    @property
    def project(self) -> str:
        return self._row["project"]

    @property
    def path(self) -> list[str]:
        return [self.entity, self.project, self.id]

    @property
    def state(self) -> str:
        return self._row["state"]


class Run(_Stored):
    """A run read from the store (``wandb.apis.public.Run``)."""

    @property
    def name(self) -> str:
        return self._row["name"] or self._row["id"]

    @property
    def config(self) -> dict[str, Any]:
        return {k: v for k, v in self._row["config"].items() if not k.startswith("_")}

    @property
    def summary(self) -> SummaryView:
        return SummaryView(self._row["summary"])

    @property
    def summary_metrics(self) -> dict[str, Any]:
        return dict(self._row["summary"])

    @property
    def metadata(self) -> dict[str, Any]:
        return dict(self._row["metadata"] or {})

    @property
    def sweep_id(self) -> str | None:
        return self._row["sweep_id"]

    @property
    def exit_code(self) -> int | None:
        return self._row["exit_code"]

    @property
    def json_config(self) -> str:
        return json.dumps({k: {"value": v} for k, v in self._row["config"].items()})

    def history(
        self,
        samples: int = 500,
        keys: list[str] | None = None,
        x_axis: str = "_step",
        pandas: bool = True,
        stream: Literal["default", "system"] = "default",
    ) -> list[dict[str, Any]]:
        """The logged rows as a list of dicts (mock: never a DataFrame)."""
        rows = self._row["history"]
        if keys:
            rows = [
                {x_axis: r.get(x_axis), **{k: r[k] for k in keys if k in r}}
                for r in rows
                if all(k in r for k in keys)
            ]
        return [dict(r) for r in rows[:samples]]

    def scan_history(self, keys: list[str] | None = None, page_size: int = 1000, min_step: int = 0, max_step: int | None = None, use_cache: bool = True):
        for r in self._row["history"]:
            step = r.get("_step", 0)
            if step < min_step or (max_step is not None and step >= max_step):
                continue
            if keys and not all(k in r for k in keys):
                continue
            yield {k: r[k] for k in keys} if keys else dict(r)

    def __repr__(self) -> str:
        return f"<Run {'/'.join(self.path)} ({self.state})>"


class Sweep(_Stored):
    """A sweep read from the store (``wandb.apis.public.Sweep``)."""

    def __init__(self, row: dict[str, Any]):
        super().__init__(row)
        from wandb import _store

        self.runs = [Run(r) for r in _store.sweep_runs(row["id"])]

    @property
    def name(self) -> str:
        return self._row["config"].get("name") or self.id

    @property
    def config(self) -> dict[str, Any]:
        return self._row["config"]

    @property
    def order(self) -> str | None:
        metric = self.config.get("metric")
        if isinstance(metric, dict) and metric.get("name"):
            prefix = "+" if metric.get("goal", "minimize") == "minimize" else "-"
            return _format_order_key(prefix + metric["name"])
        return None

    @property
    def expected_run_count(self) -> int | None:
        """Grid size (capped by run_cap), run_cap, or None for an unbounded search."""
        cap = self.config.get("run_cap")
        if self.config.get("method") == "grid":
            size = _grid_size(self.config.get("parameters", {}))
            return min(size, cap) if isinstance(cap, int) else size
        return cap if isinstance(cap, int) else None

    def best_run(self, order=None):
        """The run with the best finite value of the metric (or of ``order``)."""
        from wandb._diagnostics import numeric_metric

        order = self.order if order is None else _format_order_key(order)
        if order is None:
            termwarn("No order specified and couldn't find metric in sweep config, returning most recent run")
            return self.runs[-1] if self.runs else None
        termlog(f"Sorting runs by {order}")
        descending = order.startswith("-")
        key = order[1:]
        name = key.split(".", 1)[1] if key.startswith("summary_metrics.") else key
        scored = [(numeric_metric(_summary_path(r._row["summary"], name), name), r) for r in self.runs]
        scored = [(v, r) for v, r in scored if v is not None]
        if not scored:
            return None
        best = max(scored, key=lambda vr: vr[0]) if descending else min(scored, key=lambda vr: vr[0])
        return best[1]

    def __repr__(self) -> str:
        return f"<Sweep {'/'.join(self.path)} ({self.state})>"


def _summary_path(summary: dict, name: str) -> dict:
    """The summary, or the nested dict that a dotted name (``val_acc.max``) points into,
    as ``{name: value}``: ordering by a key inside a summary dict, as the server does."""
    if name in summary or "." not in name:
        return summary
    value: Any = summary
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return {}
        value = value[part]
    return {name: value}


def _grid_size(parameters: dict) -> int:
    """The number of grid points, nested parameters included."""
    size = 1
    for p in parameters.values():
        if "values" in p:
            size *= len(p["values"])
        elif p.get("distribution") == "int_uniform":
            size *= p["max"] - p["min"] + 1
        elif isinstance(p.get("parameters"), dict):
            size *= _grid_size(p["parameters"])
    return size


def _format_order_key(key: str) -> str:
    if key.startswith(("+", "-")):
        direction, key = key[0], key[1:]
    else:
        direction = "-"
    parts = key.split(".")
    if len(parts) == 1:
        if parts[0] not in ["createdAt", "updatedAt", "name", "sweep"]:
            return direction + "summary_metrics." + parts[0]
    elif parts[0] not in ["config", "summary_metrics", "tags"]:
        return direction + ".".join(["summary_metrics"] + parts)
    return direction + key


class Api:
    """Read access to the local store, with the real ``wandb.Api`` method names."""

    def __init__(
        self,
        overrides: dict[str, Any] | None = None,
        timeout: int | None = None,
        api_key: str | None = None,
    ) -> None:
        self._overrides = dict(overrides or {})

    @property
    def default_entity(self) -> str:
        return self._overrides.get("entity") or _settings.default_entity()

    def _defaults(self, entity: str, project: str, path: str) -> tuple[str, str]:
        parts = [p for p in path.strip("/").split("/") if p]
        if len(parts) < 3 and self._overrides.get("entity"):
            entity = self._overrides["entity"]
        if len(parts) < 2 and self._overrides.get("project"):
            project = self._overrides["project"]
        return entity, project

    def sweep(self, path=""):
        """The sweep at ``entity/project/sweep_id``."""
        from wandb import _store

        entity, project, sweep_id = _split_path(path, "sweep")
        entity, project = self._defaults(entity, project, path)
        row = _store.get_sweep(sweep_id)
        if row is None or row["entity"] != entity or row["project"] != project:
            raise CommError(f"Could not find sweep {entity}/{project}/{sweep_id}")
        return Sweep(row)

    def run(self, path: str = "") -> public.Run:
        """The run at ``entity/project/run_id``."""
        from wandb import _store

        entity, project, run_id = _split_path(path, "run")
        entity, project = self._defaults(entity, project, path)
        row = _store.get_run(run_id)
        if row is None or row["entity"] != entity or row["project"] != project:
            raise CommError(f"Could not find run {entity}/{project}/{run_id}")
        return Run(row)

    def runs(
        self,
        path: str | None = None,
        filters: dict[str, Any] | None = None,
        order: str = "+created_at",
        per_page: int = 50,
        include_sweeps: bool = False,
        lazy: bool = True,
    ):
        """All runs of ``entity/project`` in creation order (filters are not supported)."""
        from wandb import _store

        parts = [p for p in (path or "").strip("/").split("/") if p]
        if len(parts) == 2:
            entity, project = parts
        elif len(parts) == 1:
            entity, project = self.default_entity, parts[0]
        else:
            entity, project = self.default_entity, self._overrides.get("project") or _settings.default_project()
        return [Run(r) for r in _store.project_runs(entity, project)]
