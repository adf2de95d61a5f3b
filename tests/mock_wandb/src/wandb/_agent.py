"""``wandb.agent`` (a function per trial, in-process) and the ``wandb agent`` loop.

Both claim trials from the store one at a time (atomically, see _store.py),
write the trial's parameter file where the real agent writes it
(``$WANDB_DIR/wandb/sweep-<sweep>/config-<run>.yaml``; WANDB_DIR defaults to the
current directory, which the agent exports like the real one), and set
WANDB_SWEEP_ID, WANDB_RUN_ID and WANDB_SWEEP_PARAM_PATH so that
``wandb.init()`` joins the sweep with the trial's parameters.

Function agent (wandb/agents/pyagent.py in 0.31): prints
``Agent Starting Run: <id> with config:`` and one ``\\t<key>: <value>`` line per
parameter; an exception in the function prints its traceback, then
``wandb: ERROR Run <id> errored: <msg>``, finishes the run with exit code 1 and
the agent goes on.  ``count`` counts failed trials too.  The real agent's
safety stops are kept: 3 failures in the first 60 s ("flapping"), more than
WANDB_AGENT_MAX_INITIAL_FAILURES (5) failures with no success, and
``max_consecutive_failed_runs``.  When the sweep has nothing left it prints
``Sweep Agent: Waiting for job.`` and ``Sweep Agent: Exiting.`` like the real
one does when the server tells it to exit.

CLI agent (wandb/wandb_agent.py): runs each trial as a subprocess through the
sweep's ``command`` template (see _command.py), in its own process group with
stdin closed; a non-zero exit code marks the run failed and the agent goes on.
Deliberate difference: the real CLI agent reports trials through a Python
logger with timestamps; the mock prints the same ``Agent Starting Run`` lines
as the function agent, which are stable.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from wandb._sweep import parse_sweep_id
from wandb._term import termerror, termlog
from wandb.errors import CommError

FLAPPING_MAX_SECONDS = 60
FLAPPING_MAX_FAILURES = 3
MAX_INITIAL_FAILURES = 5


def _max_initial_failures() -> int:
    try:
        return int(os.environ.get("WANDB_AGENT_MAX_INITIAL_FAILURES", MAX_INITIAL_FAILURES))
    except ValueError:
        return MAX_INITIAL_FAILURES


def _resolve(sweep_id: str, entity: str | None, project: str | None) -> tuple[dict, str] | None:
    """The stored sweep for an id/path, or None after printing the real parse error."""
    from wandb import _store

    parts: dict[str, Any] = dict(entity=entity, project=project, name=sweep_id)
    err = parse_sweep_id(parts)
    if err:
        termerror(err)
        return None
    entity = parts.get("entity") or entity
    project = parts.get("project") or project
    sweep_name = parts.get("name") or sweep_id
    if entity:
        os.environ["WANDB_ENTITY"] = entity
    if project:
        os.environ["WANDB_PROJECT"] = project
    sweep = _store.get_sweep(sweep_name)
    if (
        sweep is None
        or (entity and entity != sweep["entity"])
        or (project and project != sweep["project"])
    ):
        shown = "/".join(p for p in (entity, project, sweep_name) if p)
        raise CommError(f"Could not find sweep {shown}")
    if os.environ.get("WANDB_DIR") is None:
        os.environ["WANDB_DIR"] = os.path.abspath(os.getcwd())
    os.environ["WANDB_SWEEP_ID"] = sweep["id"]
    return sweep, sweep["id"]


def _claim(sweep_id: str, launched_by: str, method: str | None = None) -> tuple[str, dict] | None:
    from wandb import _engine, _store
    from wandb._ids import new_id

    if _runs_local_controller(sweep_id):
        return _claim_from_controller(sweep_id, launched_by)
    _engine.prepare(method)
    return _store.claim_trial(
        sweep_id,
        lambda config, runs, trial: _engine.propose(config, runs, trial, sweep_id),
        lambda n: new_id(sweep_id, "trial", n),
        launched_by,
    )


# A sweep with a local controller: the agent takes the controller's proposals. While
# there is none, it asks again, a little less often each time, up to this interval
# (the real agent asks the server every 5 seconds).
CONTROLLER_POLL_MAX = 0.1
# The real function agent says it is waiting when no job came for this long.
WAITING_MESSAGE_AFTER = 5.0
# How often `wandb agent` looks for a stop of its running trial (early termination).
STOP_POLL = 0.05
KILL_DELAY = 30  # WANDB_AGENT_KILL_DELAY: SIGKILL a stopped trial still alive after it


def _runs_local_controller(sweep_id: str) -> bool:
    from wandb import _store
    from wandb._sweep_server import is_local

    sweep = _store.get_sweep(sweep_id)
    return sweep is not None and is_local(sweep["config"])


def _claim_from_controller(sweep_id: str, launched_by: str) -> tuple[str, dict] | None:
    """The next run the local controller proposed, waiting for one if need be."""
    from wandb import _store
    from wandb._ids import new_id

    started = time.monotonic()
    interval = 0.02
    waiting = False
    while True:
        claim = _store.claim_scheduled(sweep_id, lambda n: new_id(sweep_id, "trial", n), launched_by)
        if claim != _store.WAIT:
            if waiting and claim is not None:
                termlog("Job received.")
            return claim  # type: ignore[return-value]
        if launched_by == "agent-function" and not waiting and time.monotonic() - started > WAITING_MESSAGE_AFTER:
            termlog("Sweep Agent: Waiting for job.")
            waiting = True
        time.sleep(interval)
        interval = min(interval * 1.5, CONTROLLER_POLL_MAX)


def _watches_stops(config: dict) -> bool:
    from wandb._sweep_server import early_terminate, is_local

    return early_terminate(config) or is_local(config)


def _kill_delay() -> float:
    try:
        return float(os.environ.get("WANDB_AGENT_KILL_DELAY", KILL_DELAY))
    except ValueError:
        return KILL_DELAY


def _wait_trial(proc: Any, run_id: str, watch_stops: bool) -> int:
    """Wait for a trial's process; if the sweep stops the run early, send it SIGTERM, then
    SIGKILL after WANDB_AGENT_KILL_DELAY seconds, as the real agent does on stop commands."""
    import subprocess

    from wandb import _store

    if not watch_stops:
        return proc.wait()
    terminated_at = None
    while True:
        try:
            return proc.wait(timeout=STOP_POLL)
        except subprocess.TimeoutExpired:
            pass
        if terminated_at is None:
            if _store.stop_requested(run_id):
                proc.terminate()
                terminated_at = time.monotonic()
        elif time.monotonic() > terminated_at + _kill_delay():
            proc.kill()


def _trial_files(sweep_id: str, run_id: str) -> tuple[str, str]:
    base_dir = os.environ.get("WANDB_DIR", "")
    folder = os.path.join(base_dir, "wandb", f"sweep-{sweep_id}")
    return os.path.join(folder, f"config-{run_id}.yaml"), os.path.join(folder, f"config-{run_id}.json")


def _announce(run_id: str, params: dict) -> None:
    termlog(f"Agent Starting Run: {run_id} with config:")
    for k, v in params.items():
        termlog("\t{}: {}".format(k, v["value"]))


def agent(
    sweep_id: str,
    function: Callable | None = None,
    entity: str | None = None,
    project: str | None = None,
    count: int | None = None,
    forward_signals: bool = False,
    term_timeout: int | None = None,
    max_consecutive_failed_runs: int | None = None,
) -> None:
    """Run trials of a sweep: ``function`` in this process, else the sweep's program."""
    if max_consecutive_failed_runs is not None:
        if isinstance(max_consecutive_failed_runs, bool) or not isinstance(max_consecutive_failed_runs, int):
            raise TypeError("max_consecutive_failed_runs must be an integer or None")
        if max_consecutive_failed_runs < 1:
            raise ValueError("max_consecutive_failed_runs must be at least 1")
    if function:
        if not callable(function):
            raise TypeError("function parameter must be callable!")
        return _function_agent(sweep_id, function, entity, project, count, max_consecutive_failed_runs)
    return run_cli_agent(sweep_id, entity, project, count, max_consecutive_failed_runs)


def _function_agent(
    sweep_path: str,
    function: Callable,
    entity: str | None,
    project: str | None,
    count: int | None,
    max_consecutive_failed_runs: int | None,
) -> None:
    import wandb
    from wandb import _init, _store
    from wandb.sdk.lib import config_util

    resolved = _resolve(sweep_path, entity, project)
    if resolved is None:
        return
    sweep, sweep_id = resolved
    method = sweep["config"].get("method")
    watch_stops = _watches_stops(sweep["config"])
    max_consecutive = math.inf if max_consecutive_failed_runs is None else max_consecutive_failed_runs
    start_time = time.time()
    exceptions: dict[str, BaseException] = {}
    consecutive_failed = 0
    done = 0
    try:
        while True:
            claim = _claim(sweep_id, "agent-function", method)
            if claim is None:
                termlog("Sweep Agent: Waiting for job.")
                termlog("Sweep Agent: Exiting.")
                return
            run_id, params = claim
            param_path, _ = _trial_files(sweep_id, run_id)
            config_util.save_config_file_from_dict(param_path, params)
            os.environ["WANDB_RUN_ID"] = run_id
            os.environ["WANDB_SWEEP_PARAM_PATH"] = param_path
            os.environ["WANDB_SWEEP_ID"] = sweep_id
            wandb.teardown()
            _announce(run_id, params)
            _init._agent_kind = "agent-function"
            error: BaseException | None = None
            try:
                function()
                wandb.finish()
            except KeyboardInterrupt:
                wandb.finish(exit_code=1)
                raise
            except Exception as e:
                import traceback

                exc_repr = "".join(traceback.format_exception(type(e), e, e.__traceback__))
                print(exc_repr, file=sys.stderr)  # noqa: T201
                wandb.finish(exit_code=1)
                error = e
            finally:
                _init._agent_kind = None
                os.environ.pop("WANDB_RUN_ID", None)
                os.environ.pop("WANDB_SWEEP_PARAM_PATH", None)
            # A function that never called wandb.init() leaves its trial pending.
            _store.settle_trial(run_id, 1 if error is not None else 0)
            done += 1
            if error is not None and watch_stops and _store.settle_stopped(run_id):
                pass  # stopped early by the sweep: neither a failure nor a success
            elif error is not None:
                exceptions[run_id] = error
                termerror(f"Run {run_id} errored: {error}")
                consecutive_failed += 1
                if consecutive_failed >= max_consecutive:
                    termerror(f"Detected {consecutive_failed} consecutive failed runs, killing sweep.")
                    return
                if os.getenv("WANDB_AGENT_DISABLE_FLAPPING") == "true":
                    # Sic: the real pyagent stops here too when flapping detection is disabled.
                    return
                if time.time() - start_time < FLAPPING_MAX_SECONDS and len(exceptions) >= FLAPPING_MAX_FAILURES:
                    termerror(
                        f"Detected {FLAPPING_MAX_FAILURES} failed runs in the first {FLAPPING_MAX_SECONDS} seconds, killing sweep."
                    )
                    termlog("To disable this check set WANDB_AGENT_DISABLE_FLAPPING=true")
                    return
                max_initial = _max_initial_failures()
                if max_initial < len(exceptions) and len(exceptions) >= done:
                    termerror(f"Detected {max_initial} failed runs in a row at start, killing sweep.")
                    termlog("To change this value set WANDB_AGENT_MAX_INITIAL_FAILURES=val")
                    return
            else:
                consecutive_failed = 0
            if count and count == done:
                return
    finally:
        os.environ.pop("WANDB_SWEEP_ID", None)


def run_cli_agent(
    sweep_path: str,
    entity: str | None = None,
    project: str | None = None,
    count: int | None = None,
    max_consecutive_failed_runs: int | None = None,
) -> None:
    """The ``wandb agent`` loop: one subprocess per trial, sequentially."""
    import subprocess

    from wandb import _store
    from wandb._command import build_command
    from wandb.sdk.lib import config_util

    resolved = _resolve(sweep_path, entity, project)
    if resolved is None:
        return
    sweep, sweep_id = resolved
    template = sweep["config"].get("command")
    template = template if isinstance(template, list) else None
    program = sweep["config"].get("program")
    watch_stops = _watches_stops(sweep["config"])
    max_consecutive = math.inf if max_consecutive_failed_runs is None else max_consecutive_failed_runs
    start_time = time.time()
    finished = failed = consecutive_failed = 0
    while True:
        claim = _claim(sweep_id, "agent-cli", sweep["config"].get("method"))
        if claim is None:
            return
        run_id, params = claim
        param_path, json_path = _trial_files(sweep_id, run_id)
        config_util.save_config_file_from_dict(param_path, params)
        command = build_command(template, program, params, json_path)
        env = dict(os.environ)
        env.update(WANDB_RUN_ID=run_id, WANDB_SWEEP_PARAM_PATH=param_path, WANDB_SWEEP_ID=sweep_id)
        env.pop("WANDB_SERVICE", None)
        _announce(run_id, params)
        kwargs: dict[str, Any] = {}
        if sys.version_info >= (3, 11):
            kwargs["process_group"] = 0
        else:
            kwargs["preexec_fn"] = os.setpgrp
        # Like the real agent: a new process group and a closed stdin, so a trial
        # that reads stdin gets EOF instead of blocking.
        proc = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, **kwargs)
        assert proc.stdin is not None
        proc.stdin.close()
        returncode = _wait_trial(proc, run_id, watch_stops)
        _store.settle_trial(run_id, returncode)
        if watch_stops:
            _store.settle_stopped(run_id)
        if returncode > 0:
            failed += 1
            consecutive_failed += 1
        else:
            consecutive_failed = 0
        if consecutive_failed >= max_consecutive:
            termerror(f"Detected {consecutive_failed} consecutive failed runs, shutting down.")
            return
        if returncode > 0:
            flapping = (
                os.getenv("WANDB_AGENT_DISABLE_FLAPPING") != "true"
                and time.time() < start_time + FLAPPING_MAX_SECONDS
                and failed >= FLAPPING_MAX_FAILURES
            )
            if flapping:
                termerror(
                    f"Detected {FLAPPING_MAX_FAILURES} failed runs in the first {FLAPPING_MAX_SECONDS} seconds, shutting down."
                )
                termlog("To disable this check set WANDB_AGENT_DISABLE_FLAPPING=true")
                return
            max_initial = _max_initial_failures()
            if failed >= finished and max_initial <= failed:
                termerror(f"Detected {max_initial} failed runs in a row, shutting down.")
                termlog("To change this value set WANDB_AGENT_MAX_INITIAL_FAILURES=val")
                return
        finished += 1
        if count and finished >= count:
            return


