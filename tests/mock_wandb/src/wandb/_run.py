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
        self._preempting = False

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

        for key, value in data.items():
            if isinstance(value, dict) and isinstance(self._pending.get(key), dict):
                from wandb.sdk.lib.config_util import merge_dicts

                merge_dicts(self._pending[key], _plain(value))
            else:
                self._pending[key] = _plain(value)
        self.summary._merge({k: _plain(v) for k, v in data.items()})

        if (step is None and commit is None) or commit:
            self._flush_row()
            self._step += 1

    def _flush_row(self) -> None:
        if not self._pending:
            return
        now = time.time()
        row = dict(self._pending)
        row["_step"] = self._step
        row["_runtime"] = now - self._start_time
        row["_timestamp"] = now
        self._history.append(row)
        self.summary._merge({"_step": self._step, "_runtime": row["_runtime"], "_timestamp": now})
        self._pending = {}

    def define_metric(
        self,
        name: str,
        step_metric: str | wandb_metric.Metric | None = None,
        step_sync: bool | None = None,
        hidden: bool | None = None,
        summary: str | None = None,
        overwrite: bool | None = None,
    ) -> Any:
        """Accepted and ignored by the mock (summary is always the last value)."""
        _raise_if_finished("define_metric", self)
        return None

    # --- finishing ---------------------------------------------------------

    def mark_preempting(self) -> None:
        """Mark this run as preempting.

        Also tells the internal process to immediately report this to server.
        """
        _raise_if_finished("mark_preempting", self)
        self._preempting = True
        if self._persist:
            from wandb import _store

            _store.mark_preempting(self._id)

    def finish(self, exit_code: int | None = None) -> None:
        """Finish the run; a non-zero exit code marks it failed (preempted if it was
        marked preempting)."""
        self._finish(exit_code=exit_code)

    def _finish(self, exit_code: int | None = None, *, interrupted: bool = False) -> None:
        if self._is_finished:
            return
        from wandb import _init

        self._flush_row()
        self._is_finished = True
        code = 0 if exit_code is None else exit_code
        # The server's rules, as W&B documents them: status 0 is a finished run, whatever
        # else happened; a run marked preempting that ends otherwise is preempted (and
        # requeued); Ctrl+C (the SDK's exit hook reports 255) is killed; else failed.
        if code == 0:
            state = "finished"
        elif self._preempting:
            state = "preempted"
        elif interrupted:
            state = "killed"
        else:
            state = "failed"
        if self._sweep_id and self._sweep_metric and code == 0:
            from wandb._diagnostics import warn_missing_sweep_metric

            warn_missing_sweep_metric(self._id, self._sweep_metric, self.summary._as_dict())
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
    """Make logged values storable: numpy scalars to Python, dicts copied."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    module = type(value).__module__
    if module == "numpy" or module.startswith("numpy."):
        if hasattr(value, "tolist"):
            return value.tolist()
    if isinstance(value, float) and not math.isfinite(value):
        return value
    return value
