"""What the W&B server does for a sweep while one of its runs logs (mock only).

The real server watches every run of a sweep and reacts; the mock has no server, so a
run of a sweep reacts itself, after each ``log`` call, as the server would:

* ``metric.target``: once the run's summary value of the sweep's metric reaches the
  target (``<=`` for ``minimize``, ``>=`` for ``maximize``), the sweep becomes
  FINISHED: no new run starts; the runs in progress, this one included, go on to
  their end.
* ``early_terminate`` (Hyperband), when the sweep has no local controller: after each
  history row, the run stores its history so far and the engine's ``stop_runs``
  decides, over all the sweep's runs, which running runs to stop; a local controller
  makes that decision itself (wandb_controller.py). Either way the runs to stop are
  marked in the store, and their agents deliver the stop:
  - a function trial (``wandb.agent(function=...)``): the real agent raises a bare
    ``Exception`` in the trial's thread; the mock raises it from the ``log`` call that
    follows the decision, so the stopped run logs nothing more;
  - a CLI trial (``wandb agent``): the real agent sends SIGTERM to the trial's
    process; the mock's agent does the same, and the trial waits for it in that
    ``log`` call, so that it too logs nothing more;
  the stopped run ends ``killed``.
  Deliberate difference: the real server and agent act every few seconds, so a real
  run goes on logging for a while after the decision; here the stop takes effect at
  once, which keeps examples short and their output stable.
"""

from __future__ import annotations

import math
import time
from typing import Any

# How long a CLI trial that must stop waits for its agent's SIGTERM before it goes on
# (an agent that died, or a run started by hand with the sweep's variables set). The
# agent looks for stops every _agent.STOP_POLL seconds, so the signal arrives far
# sooner, even on a loaded machine.
STOP_DELIVERY_TIMEOUT = 120.0


def for_run(sweep_row: dict, run_id: str, launched_by: str | None) -> SweepServer | None:
    """The server side of a sweep run, or None when its sweep needs no reaction to logs."""
    config = sweep_row.get("config") or {}
    server = SweepServer(sweep_row["id"], run_id, config, launched_by)
    if not server.needed:
        return None
    if launched_by is None:  # a trial of `wandb agent` runs in its own process
        from wandb import _store

        row = _store.get_run(run_id)
        server.launched_by = ((row or {}).get("metadata") or {}).get("launched_by")
    return server


def is_local(config: dict) -> bool:
    controller = config.get("controller") if isinstance(config, dict) else None
    return isinstance(controller, dict) and controller.get("type") == "local"


def early_terminate(config: dict) -> bool:
    et = config.get("early_terminate") if isinstance(config, dict) else None
    return isinstance(et, dict) and isinstance(config.get("metric"), dict)


class SweepServer:
    def __init__(self, sweep_id: str, run_id: str, config: dict, launched_by: str | None) -> None:
        self.sweep_id = sweep_id
        self.run_id = run_id
        self.config = config
        self.launched_by = launched_by
        metric = config.get("metric") if isinstance(config.get("metric"), dict) else {}
        self.metric = metric.get("name") if isinstance(metric.get("name"), str) else None
        self.maximize = metric.get("goal") == "maximize"
        target = metric.get("target")
        self.target = target if isinstance(target, (int, float)) and not isinstance(target, bool) else None
        self.local = is_local(config)
        self.hyperband = early_terminate(config) and not self.local
        self.watch_stops = early_terminate(config) or self.local
        self.needed = (self.target is not None and self.metric is not None) or self.watch_stops

    def after_log(self, run: Any, flushed: bool) -> bool:
        """React to a log call; True when a function trial must stop here (the caller
        raises the exception, so that the traceback ends in the user's ``log`` call)."""
        if self.target is not None and self.metric is not None:
            self._check_target(run)
        if not (flushed and self.watch_stops):
            return False
        from wandb import _store

        _store.record_progress(run.id, dict(run.summary._as_dict()), list(run._history))
        if self.hyperband:
            from wandb import _engine

            _engine.prepare(None)  # import the engine before taking the store's lock
            _store.mark_stops(self.sweep_id, _engine.hyperband_stops, "hyperband")
        return _store.stop_requested(run.id) and self._deliver()

    def _check_target(self, run: Any) -> None:
        value = run.summary._as_dict().get(self.metric)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return
        reached = value >= self.target if self.maximize else value <= self.target
        if reached:
            from wandb import _store

            _store.finish_sweep(self.sweep_id)
            self.target = None  # once is enough

    def _deliver(self) -> bool:
        if self.launched_by == "agent-function":
            return True
        if self.launched_by == "agent-cli":
            time.sleep(STOP_DELIVERY_TIMEOUT)  # the agent's SIGTERM ends this process meanwhile
        return False
