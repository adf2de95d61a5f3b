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
  makes that decision itself (wandb_controller.py). Either way each run to stop gets a
  stop request in the store (``_store.stop_requests``, the same table as a stop asked
  by hand), so the next heartbeat of its agent answers ``stop`` for it, and the agent
  carries the command out as the real 0.31 agents do (_agent.py):
  - a function trial (``wandb.agent(function=...)``): a bare ``Exception`` raised
    asynchronously in the trial's thread;
  - a CLI trial (``wandb agent``): SIGTERM to the trial's process, then SIGKILL after
    WANDB_AGENT_KILL_DELAY seconds;
  the stopped run ends ``killed`` (``_store.settle_trial``) and neither agent counts it
  as a failure.
  Deliberate difference: the real server and agent act every few seconds, so a real
  run goes on logging for a while after the decision. Here a run that logs while a
  stop request for it is pending waits in that ``log`` call until its agent's stop
  arrives, so it logs nothing more: examples stay short and their output stable.
"""

from __future__ import annotations

import math
import time
from typing import Any

# How long a trial that must stop waits in its log call for its agent's stop before it
# goes on (an agent that died, or that ignores the command). The agent heartbeats every
# _agent.POLL_SECONDS, so the stop arrives far sooner, even on a loaded machine.
STOP_DELIVERY_TIMEOUT = 120.0
# How often the waiting trial lets the interpreter deliver the function agent's
# asynchronous exception (it lands between two bytecodes, never inside a sleep).
STOP_WAIT_STEP = 0.01


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

    def after_log(self, run: Any, flushed: bool) -> None:
        """React to a log call; if this run must stop, wait here for its agent's stop."""
        if self.target is not None and self.metric is not None:
            self._check_target(run)
        if not (flushed and self.watch_stops):
            return
        from wandb import _store

        _store.record_progress(run.id, dict(run.summary._as_dict()), list(run._history))
        if self.hyperband:
            from wandb import _engine

            _engine.prepare(None)  # import the engine before taking the store's lock
            _store.mark_stops(self.sweep_id, _engine.hyperband_stops, "hyperband")
        if _store.stop_requested(run.id):
            self._wait_for_stop()

    def _check_target(self, run: Any) -> None:
        value = run.summary._as_dict().get(self.metric)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return
        reached = value >= self.target if self.maximize else value <= self.target
        if reached:
            from wandb import _store

            _store.finish_sweep(self.sweep_id)
            self.target = None  # once is enough

    def _wait_for_stop(self) -> None:
        """Until the agent's stop ends this trial: the function agent's exception, raised
        in this thread, or the CLI agent's SIGTERM. A run no agent launched goes on."""
        if self.launched_by not in ("agent-function", "agent-cli"):
            return
        deadline = time.monotonic() + STOP_DELIVERY_TIMEOUT
        while time.monotonic() < deadline:
            time.sleep(STOP_WAIT_STEP)
