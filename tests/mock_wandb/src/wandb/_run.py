"""``wandb.Run``: a run that keeps its history in memory and persists on finish.

The run is written to the store twice: when it starts (so agents and ``Api``
see it running) and when it finishes (config, summary, history, final state).
Logging itself touches no disk, which keeps ``init`` + logs + ``finish`` fast.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from wandb._config import Config
from wandb._summary import Summary
from wandb.sdk import wandb_metric  # noqa: F401  (annotations read "wandb_metric.Metric" as in the real SDK)
from wandb._term import termwarn
from wandb.errors import UsageError


def _raise_if_finished(name: str, run: "Run") -> None:
    if run._is_finished:
        raise UsageError(
            f"Run ({run.id}) is finished. The call to"
            f" `{name}` will be ignored."
            f" Please make sure that you are using an active run."
        )


class Run:
    """A unit of computation logged by W&B (mock: stored in the local SQLite store)."""

    def __init__(
        self,
        *,
        run_id: str,
        entity: str,
        project: str,
        name: str | None,
        config: Config,
        sweep_id: str | None,
        sweep_metric: str | None,
        mode: str,
        notes: str | None = None,
        tags: tuple[str, ...] = (),
        group: str | None = None,
        job_type: str | None = None,
        persist: bool = True,
    ) -> None:
        self._id = run_id
        self._entity = entity
        self._project = project
        self._name = name
        self._config = config
        self.summary = Summary()
        self._sweep_id = sweep_id
        self._sweep_metric = sweep_metric
        self._mode = mode
        self._notes = notes
        self._tags = tuple(tags)
        self._group = group
        self._job_type = job_type
        self._persist = persist
        self._start_time = time.time()
        self._step = 0
        self._pending: dict[str, Any] = {}
        self._history: list[dict[str, Any]] = []
        self._is_finished = False
        self._init_pid = os.getpid()
        from wandb._metrics import MetricRules

        self._metric_rules = MetricRules()
        self.summary._set_user_hook(self._metric_rules.user_set)
        # Set by wandb.init() for a run of a sweep whose server side reacts to its logs
        # (metric.target, early termination, a local controller): see _sweep_server.py.
        self._sweep_server: Any = None

    # --- properties --------------------------------------------------------

    @property
    def id(self) -> str:
        return self._id

    @property
    def name(self) -> str | None:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def project(self) -> str:
        return self._project

    @property
    def entity(self) -> str:
        return self._entity

    @property
    def config(self) -> Config:
        return self._config

    @property
    def sweep_id(self) -> str | None:
        return self._sweep_id

    @property
    def path(self) -> str:
        return f"{self._entity}/{self._project}/{self._id}"

    @property
    def notes(self) -> str | None:
        return self._notes

    @property
    def tags(self) -> tuple[str, ...]:
        return self._tags

    @property
    def group(self) -> str | None:
        return self._group

    @property
    def job_type(self) -> str | None:
        return self._job_type

    @property
    def offline(self) -> bool:
        return self._mode != "online"

    @property
    def disabled(self) -> bool:
        return self._mode == "disabled"

    @property
    def start_time(self) -> float:
        return self._start_time

    @property
    def step(self) -> int:
        return self._step

    @property
    def url(self) -> str | None:
        return None  # offline: there is no run page

    # --- logging -----------------------------------------------------------

    def log(
        self,
        data: dict[str, Any],
        step: int | None = None,
        commit: bool | None = None,
    ) -> None:
        """Log a dict of values to the run's history and update its summary."""
        _raise_if_finished("log", self)
        if not isinstance(data, Mapping):
            raise TypeError("wandb.log must be passed a dictionary")
        if any(not isinstance(key, str) for key in data):
            raise TypeError("Key values passed to `wandb.log` must be strings.")

        if step is not None:
            if step < self._step:
                # Worded like the real SDK's (wandb-core) warning.
                termwarn(
                    f"Tried to log to step {step} that is less than the current step {self._step}."
                    " Steps must be monotonically increasing, so this data will be ignored."
                    " See https://wandb.me/define-metric to log data out of order."
                )
                return
            if step > self._step:
                self._flush_row()
                self._step = step

        values = {k: _plain(v) for k, v in data.items()}
        rules = self._metric_rules
        if rules.active:
            values.update(rules.sync_steps(values))
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(self._pending.get(key), dict):
                from wandb.sdk.lib.config_util import merge_dicts

                merge_dicts(self._pending[key], _plain(value))
            else:
                self._pending[key] = _plain(value)
        self.summary._merge(values)
        rules.observe(values)
        if rules.active:
            self._apply_metric_summaries(values)

        flushed = False
        if (step is None and commit is None) or commit:
            flushed = self._flush_row()
            self._step += 1
        if self._sweep_server is not None and self._sweep_server.after_log(self, flushed):
            # Stopped early by the sweep: what the real agent raises in the trial's thread.
            raise Exception()

    def _apply_metric_summaries(self, values: dict[str, Any]) -> None:
        """Replace the last value by what define_metric asks for (see _metrics.py)."""
        items = self.summary._as_dict()
        for key in values:
            keep, value = self._metric_rules.summary_value(key)
            if not keep:
                items.pop(key, None)
            elif value is not None:
                items[key] = value

    def _flush_row(self) -> bool:
        if not self._pending:
            return False
        now = time.time()
        row = dict(self._pending)
        row["_step"] = self._step
        row["_runtime"] = now - self._start_time
        row["_timestamp"] = now
        self._history.append(row)
        self.summary._merge({"_step": self._step, "_runtime": row["_runtime"], "_timestamp": now})
        self._pending = {}
        return True

    def define_metric(
        self,
        name: str,
        step_metric: str | wandb_metric.Metric | None = None,
        step_sync: bool | None = None,
        hidden: bool | None = None,
        summary: str | None = None,
        overwrite: bool | None = None,
    ) -> wandb_metric.Metric:
        """Customize how a logged metric is summarized (see _metrics.py for the rules).

        Same arguments, checks and messages as the real ``Run.define_metric``: a summary
        operation among ``min``, ``max``, ``mean``, ``last``, ``first``, ``copy`` (deprecated,
        with a warning) and ``none``; anything else raises ``wandb.Error``.
        """
        _raise_if_finished("define_metric", self)
        if summary and "copy" in summary:
            termwarn("define_metric(summary='copy') is deprecated and will be removed.", repeat=False)
        return self._define_metric(name, step_metric, step_sync, hidden, summary, overwrite)

    def _define_metric(
        self,
        name: str,
        step_metric: str | wandb_metric.Metric | None = None,
        step_sync: bool | None = None,
        hidden: bool | None = None,
        summary: str | None = None,
        overwrite: bool | None = None,
    ) -> wandb_metric.Metric:
        from wandb.errors import Error
        from wandb.sdk import wandb_metric

        if not name:
            raise Error("define_metric() requires non-empty name argument")
        if isinstance(step_metric, wandb_metric.Metric):
            step_metric = step_metric.name
        for arg_name, arg_val, exp_type in (
            ("name", name, str),
            ("step_metric", step_metric, str),
            ("step_sync", step_sync, bool),
            ("hidden", hidden, bool),
            ("summary", summary, str),
            ("overwrite", overwrite, bool),
        ):
            if arg_val is not None and not isinstance(arg_val, exp_type):
                arg_type = type(arg_val).__name__
                raise Error(f"Unhandled define_metric() arg: {arg_name} type: {arg_type}")
        stripped = name[:-1] if name.endswith("*") else name
        if "*" in stripped:
            raise Error(f"Unhandled define_metric() arg: name (glob suffixes only): {name}")
        summary_ops: list[str] | None = None
        if summary:
            summary_items = [s.lower() for s in summary.split(",")]
            summary_ops = []
            valid = {"min", "max", "mean", "last", "copy", "none", "first"}
            for i in summary_items:
                if i not in valid:
                    raise Error(f"Unhandled define_metric() arg: summary op: {i}")
                summary_ops.append(i)
        m = wandb_metric.Metric(
            name=name,
            step_metric=step_metric,
            step_sync=step_sync,
            summary=summary_ops,
            hidden=hidden,
            overwrite=overwrite,
        )
        m._set_callback(self._metric_rules.define)
        m._commit()
        return m

    # --- finishing ---------------------------------------------------------

    def finish(self, exit_code: int | None = None) -> None:
        """Finish the run; a non-zero exit code marks it failed."""
        self._finish(exit_code=exit_code)

    def _finish(self, exit_code: int | None = None) -> None:
        if self._is_finished:
            return
        from wandb import _init

        self._flush_row()
        self._is_finished = True
        code = 0 if exit_code is None else exit_code
        state = "finished" if code == 0 else "failed"
        if self._sweep_id and self._sweep_metric and code == 0:
            from wandb._diagnostics import warn_missing_sweep_metric

            warn_missing_sweep_metric(
                self._id,
                self._sweep_metric,
                self.summary._as_dict(),
                summary_rule=self._metric_rules.has_summary_rule(self._sweep_metric),
            )
        if self._persist:
            from wandb import _store

            record = (
                self._id,
                state,
                code,
                dict(self._config._as_dict()),
                dict(self.summary._as_dict()),
                list(self._history),
            )
            if self._sweep_id:
                _store.finish_run(*record)  # the agent reads it next: write now
            else:
                _store.defer(_store.finish_run, *record)
        _init._on_run_finished(self)

    def __enter__(self) -> Run:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        exception_raised = exc_type is not None
        if exception_raised:
            # The real SDK prints the traceback here and lets it propagate too.
            import traceback

            traceback.print_exception(exc_type, exc_val, exc_tb)
        self._finish(exit_code=1 if exception_raised else 0)

    def __repr__(self) -> str:
        return f"<Run {self.path}>"


def _plain(value: Any) -> Any:
    """Make logged values storable: numpy scalars to Python, dicts copied, W&B data types
    (``wandb.Histogram``) to the JSON the real SDK stores for them."""
    if getattr(value, "_log_type", None) and hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    module = type(value).__module__
    if module == "numpy" or module.startswith("numpy."):
        if hasattr(value, "tolist"):
            return value.tolist()
    if isinstance(value, float) and not math.isfinite(value):
        return value
    return value
