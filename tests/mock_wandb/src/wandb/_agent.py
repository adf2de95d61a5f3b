"""``wandb.agent`` (a function per trial, in a thread) and the ``wandb agent`` loop.

Both agents speak the server's protocol through the store (see _store.py): they
register (``createAgent``), then heartbeat with the runs they are running and
carry out the commands they get back (``agentHeartbeat``): ``run`` and
``resume`` start a trial, ``stop`` stops one, ``exit`` ends the agent. The
store decides the commands from the sweep's state, as the W&B server does:

* RUNNING: the next trial when the agent is idle (a preempted run first; for a sweep
  with a local controller, its next proposal, and nothing while it has proposed none);
* PAUSED: nothing, so the agent waits, its current trial going on;
* FINISHED (``wandb sweep --stop``, a run that reached ``metric.target``, a local
  controller that proposed nothing more): nothing while the trial goes on, then ``exit``;
* CANCELED (``wandb sweep --cancel``): ``exit`` at once.

In any state but CANCELED, a running trial with a stop request (``_store.request_stop``,
Hyperband early termination, a local controller's early stops) gets ``stop``; the
stopped run ends ``killed`` and neither agent counts it as a failure.

For each trial they write the parameter file where the real agent writes it
(``$WANDB_DIR/wandb/sweep-<sweep>/config-<run>.yaml``; WANDB_DIR defaults to the
current directory, which the agent exports like the real one), and set
WANDB_SWEEP_ID, WANDB_RUN_ID and WANDB_SWEEP_PARAM_PATH so that
``wandb.init()`` joins the sweep with the trial's parameters.

Function agent (``Agent`` in wandb/agents/pyagent.py, 0.31): each trial runs in
a thread of its own while the calling thread heartbeats. It prints
``Agent Starting Run: <id> with config:`` and one ``\\t<key>: <value>`` line per
parameter; an exception in the function prints its traceback, then
``wandb: ERROR Run <id> errored: <msg>``, finishes the run with exit code 1 and
the agent goes on. ``count`` counts failed trials too. The real agent's safety
stops are kept: 3 failures in the first 60 s ("flapping"), more than
WANDB_AGENT_MAX_INITIAL_FAILURES (5) failures with no success, and
``max_consecutive_failed_runs``. With no trial to run it prints
``Sweep Agent: Waiting for job.`` (once), then ``Job received.`` when one comes,
or ``Sweep Agent: Exiting.`` on ``exit``. ``stop`` and ``exit`` stop a running
trial the way pyagent does: an ``Exception`` raised asynchronously in its
thread (``_terminate_thread``), whose traceback is printed; the run finishes
with exit code 1. Ctrl+C prints ``Ctrl + C detected. Stopping sweep.``, stops
the trial the same way and returns.

CLI agent (``Agent`` and ``AgentProcess`` in wandb/wandb_agent.py): runs each
trial as a subprocess through the sweep's ``command`` template (see
_command.py), in its own process group with stdin closed; a non-zero exit code
marks the run failed and the agent goes on. ``stop`` sends SIGTERM, then
SIGKILL if the trial is still there WANDB_AGENT_KILL_DELAY (30) seconds later;
``exit`` sends SIGKILL to the trials. A shutdown signal goes through the real
agent's tiers: the first SIGINT/SIGTERM/SIGHUP/SIGQUIT that reaches Python
prints ``<signal> received. Waiting for runs to end. Send <signal> again to
terminate them.`` and waits (``--term-timeout`` seconds at most when signals
are forwarded), a second terminates the trials, a third kills them. Without
``--forward-signals`` the agent installs no handler: SIGTERM ends it at once
and its trial, in another process group, goes on alone. With it, every signal
but SIGKILL and SIGSTOP is caught and sent to the trial's process (only that
process, not its group), then handled as before.

Deliberate differences: the real agents heartbeat every 5 seconds (the CLI
agent's ``POLL_INTERVAL``, pyagent's ``HEARTBEAT_SLEEP_SECONDS``); the mock's
ask every POLL_SECONDS and notice a trial's end at once, and the function agent
says ``Waiting for job.`` at its first empty answer (pyagent: after 5 seconds
without a job). The real CLI agent
reports trials through a Python logger with timestamps; the mock prints the
same ``Agent Starting Run`` lines as the function agent, which are stable.
After ``exit`` the mock waits for the killed trials before it returns, so it
never prints the ``Terminating and syncing runs`` line that the real one may
print when a killed trial has not disappeared yet.
"""

from __future__ import annotations

import contextlib
import enum
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from wandb._sweep import parse_sweep_id
from wandb._term import termerror, termlog
from wandb.errors import CommError

FLAPPING_MAX_SECONDS = 60
FLAPPING_MAX_FAILURES = 3
MAX_INITIAL_FAILURES = 5
KILL_DELAY = 30
# How often the mock's agents ask the store for commands (the real ones: every 5 s).
POLL_SECONDS = 0.1

# Signals whose kernel default is "terminate" and that orchestrators use to request a
# graceful shutdown (wandb_agent._TERMINATING_SIGNALS).
_TERMINATING_SIGNALS = frozenset(
    s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None), getattr(signal, "SIGQUIT", None))
    if s is not None
)


@contextlib.contextmanager
def _signals_held():
    """Hold this thread's catchable signals while the agent is inside code that a Python
    signal handler must not interrupt: Popen's internal lock (a ShutdownSignal raised between
    its acquire and its try would leave it locked, and the next wait() would hang), or a
    store transaction. A signal that arrives meanwhile is handled when this block ends."""
    held = signal.valid_signals() - {signal.SIGKILL, signal.SIGSTOP}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (OSError, ValueError):  # no signal masks on this platform
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _max_initial_failures() -> int:
    return _env_int("WANDB_AGENT_MAX_INITIAL_FAILURES", MAX_INITIAL_FAILURES)


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


class _Server:
    """The agent's side of ``createAgent`` / ``agentHeartbeat``."""

    def __init__(self, sweep: dict, launched_by: str) -> None:
        from wandb import _store

        self.sweep_id = sweep["id"]
        self.method = sweep["config"].get("method")
        self.launched_by = launched_by
        self.agent_id = _store.register_agent(self.sweep_id, socket.gethostname())
        self._engine_ready = False

    def heartbeat(self, running: list[str]) -> list[dict[str, Any]]:
        from wandb import _engine, _store
        from wandb._ids import new_id

        sweep_id = self.sweep_id
        while True:
            propose = None
            if self._engine_ready:
                propose = lambda config, runs, trial: _engine.propose(config, runs, trial, sweep_id)  # noqa: E731
            try:
                with _signals_held():
                    return _store.agent_heartbeat(
                        self.agent_id,
                        running,
                        propose=propose,
                        make_run_id=lambda n: new_id(sweep_id, "trial", n),
                        claimed_by=self.launched_by,
                    )
            except _store.NeedsEngine:
                # Loaded outside the store's write lock: the engine takes a while to import.
                _engine.prepare(self.method)
                self._engine_ready = True

    def exited(self) -> None:
        from wandb import _store

        with _signals_held():
            _store.agent_exited(self.agent_id)


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
        return _FunctionAgent(sweep_id, function, entity, project, count, max_consecutive_failed_runs).run()
    return run_cli_agent(
        sweep_id,
        entity,
        project,
        count,
        max_consecutive_failed_runs,
        forward_signals=forward_signals,
        term_timeout=term_timeout,
    )


# --- the function agent (wandb/agents/pyagent.py) ------------------------------------


class _RunStatus:
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    STOPPED = "STOPPED"
    ERRORED = "ERRORED"
    DONE = "DONE"


class _JobError(Exception):
    """Exception raised when a job fails during execution."""


def _terminate_thread(thread: threading.Thread) -> None:
    """pyagent's way to stop a trial: raise ``Exception`` in its thread, asynchronously."""
    import ctypes

    if not thread.is_alive() or hasattr(thread, "_terminated"):
        return
    thread._terminated = True  # type: ignore[attr-defined]
    tid = thread.ident
    if tid is None:
        return
    res = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(Exception))
    if res > 1:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), None)


class _FunctionAgent:
    def __init__(
        self,
        sweep_path: str,
        function: Callable,
        entity: str | None,
        project: str | None,
        count: int | None,
        max_consecutive_failed_runs: int | None,
    ) -> None:
        self._sweep_path = sweep_path
        self._function = function
        self._entity = entity
        self._project = project
        self._count = count
        self._max_consecutive = math.inf if max_consecutive_failed_runs is None else max_consecutive_failed_runs
        self._run_threads: dict[str, threading.Thread] = {}
        self._run_status: dict[str, str] = {}
        self._exceptions: dict[str, BaseException] = {}
        self._consecutive_failed = 0
        self._exit_flag = False
        self._start_time = time.time()

    def run(self) -> None:
        resolved = _resolve(self._sweep_path, self._entity, self._project)
        if resolved is None:
            return
        sweep, self._sweep_id = resolved
        self._server = _Server(sweep, "agent-function")
        try:
            self._run_jobs()
        finally:
            os.environ.pop("WANDB_SWEEP_ID", None)
            self._teardown_last_job()
            self._server.exited()

    def _stop_run(self, run_id: str) -> None:
        self._run_status[run_id] = _RunStatus.STOPPED
        thread = self._run_threads.get(run_id)
        if thread:
            _terminate_thread(thread)

    def _exit(self) -> None:
        for run_id in list(self._run_threads):
            self._stop_run(run_id)
        self._exit_flag = True

    def _handle(self, commands: list[dict[str, Any]]) -> dict[str, Any] | None:
        """Carry out stop/exit; return the trial to start, if any (pyagent's heartbeat thread
        takes the first command of each answer)."""
        if not commands:
            return None
        command = commands[0]
        if command["type"] in ("run", "resume"):
            return command
        if command["type"] == "stop":
            self._stop_run(command["run_id"])
        elif command["type"] == "exit":
            self._exit()
        return None

    def _run_jobs(self) -> None:
        waiting = False
        count = 0
        try:
            while True:
                if self._exit_flag:
                    return
                job = self._handle(self._server.heartbeat([]))
                if self._exit_flag:
                    if not waiting:
                        termlog("Sweep Agent: Waiting for job.")
                    termlog("Sweep Agent: Exiting.")
                    return
                if job is None:
                    if not waiting:
                        termlog("Sweep Agent: Waiting for job.")
                        waiting = True
                    time.sleep(POLL_SECONDS)
                    continue
                if waiting:
                    termlog("Job received.")
                    waiting = False
                count += 1
                run_id = job["run_id"]
                done = threading.Event()
                thread = threading.Thread(target=self._run_job, args=(job, done))
                self._run_threads[run_id] = thread
                self._run_status[run_id] = _RunStatus.RUNNING
                thread.start()
                while not done.wait(POLL_SECONDS):
                    if not self._exit_flag:
                        self._handle(self._server.heartbeat([run_id]))
                thread.join()
                if self._run_status[run_id] == _RunStatus.RUNNING:
                    self._run_status[run_id] = _RunStatus.DONE
                    self._consecutive_failed = 0
                elif self._run_status[run_id] == _RunStatus.ERRORED:
                    if self._handle_errored_run(run_id, count):
                        self._exit_flag = True
                        return
                if self._count and self._count == count:
                    self._exit_flag = True
                    return
        except KeyboardInterrupt:
            termlog("Ctrl + C detected. Stopping sweep.")
            self._exit()

    def _run_job(self, job: dict[str, Any], done: threading.Event) -> None:
        import wandb
        from wandb import _init, _store
        from wandb.sdk.lib import config_util

        run_id = job["run_id"]
        try:
            param_path, _ = _trial_files(self._sweep_id, run_id)
            os.environ["WANDB_RUN_ID"] = run_id
            os.environ["WANDB_SWEEP_PARAM_PATH"] = param_path
            config_util.save_config_file_from_dict(param_path, job["args"])
            os.environ["WANDB_SWEEP_ID"] = self._sweep_id
            wandb.teardown()
            _announce(run_id, job["args"])
            _init._agent_kind = "agent-function"
            try:
                self._function()
            except KeyboardInterrupt:
                raise
            except Exception as e:
                import traceback

                print("".join(traceback.format_exception(type(e), e, e.__traceback__)), file=sys.stderr)  # noqa: T201
                raise _JobError(f"Run threw exception: {e}") from e
            wandb.finish()
            _store.settle_trial(run_id, 0)  # a function that never called wandb.init() leaves it pending
        except KeyboardInterrupt:
            raise
        except Exception as e:
            wandb.finish(exit_code=1)
            _store.settle_trial(run_id, 1)
            if self._run_status[run_id] == _RunStatus.RUNNING:
                self._run_status[run_id] = _RunStatus.ERRORED
                self._exceptions[run_id] = e
        finally:
            _init._agent_kind = None
            os.environ.pop("WANDB_RUN_ID", None)
            os.environ.pop("WANDB_SWEEP_PARAM_PATH", None)
            done.set()

    def _handle_errored_run(self, run_id: str, count: int) -> bool:
        exc = self._exceptions[run_id]
        shown = exc.__cause__ if isinstance(exc, _JobError) and exc.__cause__ else exc
        termerror(f"Run {run_id} errored: {shown}")
        self._consecutive_failed += 1
        if self._consecutive_failed >= self._max_consecutive:
            termerror(f"Detected {self._consecutive_failed} consecutive failed runs, killing sweep.")
            return True
        if os.getenv("WANDB_AGENT_DISABLE_FLAPPING") == "true":
            return True  # sic: the real pyagent stops here too when flapping detection is disabled
        if time.time() - self._start_time < FLAPPING_MAX_SECONDS and len(self._exceptions) >= FLAPPING_MAX_FAILURES:
            termerror(
                f"Detected {FLAPPING_MAX_FAILURES} failed runs in the first {FLAPPING_MAX_SECONDS} seconds, killing sweep."
            )
            termlog("To disable this check set WANDB_AGENT_DISABLE_FLAPPING=true")
            return True
        max_initial = _max_initial_failures()
        if max_initial < len(self._exceptions) and len(self._exceptions) >= count:
            termerror(f"Detected {max_initial} failed runs in a row at start, killing sweep.")
            termlog("To change this value set WANDB_AGENT_MAX_INITIAL_FAILURES=val")
            return True
        return False

    def _teardown_last_job(self) -> None:
        import wandb

        if not self._run_threads:
            return
        self._exit_flag = True
        for thread in self._run_threads.values():
            thread.join()
        wandb.teardown()


# --- the CLI agent (wandb/wandb_agent.py) ---------------------------------------------


class TerminationTier(enum.IntEnum):
    """Tiers of the CLI agent's shutdown, one more for each shutdown signal."""

    NORMAL_EXECUTION = 0
    WAIT_FOR_CHILDREN = 1
    TERMINATE_AND_WAIT_FOR_CHILDREN = 2
    KILL_CHILDREN = 3

    def succ(self) -> TerminationTier:
        if self == self.KILL_CHILDREN:
            raise ValueError("Already at highest tier.")
        return self.__class__(self.value + 1)


class ShutdownSignal(BaseException):
    """Raised from the forwarding handler for SIGTERM/SIGHUP/SIGQUIT, like KeyboardInterrupt
    for SIGINT, to drive the shutdown tiers."""

    def __init__(self, signum: int) -> None:
        super().__init__()
        self.signum = signum

    @property
    def label(self) -> str:
        return signal.Signals(self.signum).name


class _AgentProcess:
    """One trial's process; with forward_signals, the agent's signals go to it."""

    def __init__(self, command: list[str], env: dict[str, str], forward_signals: bool) -> None:
        self._original_handlers: dict[int, Any] = {}
        self._popen: subprocess.Popen | None = None
        self.last_sigterm_time: float | None = None
        if forward_signals:
            skip = {getattr(signal, "SIGKILL", None), getattr(signal, "SIGSTOP", None)}
            skip.discard(None)
            for signum in signal.valid_signals():
                if signum in skip:
                    continue
                with contextlib.suppress(OSError, ValueError):
                    self._original_handlers[signum] = signal.getsignal(signum)
                    signal.signal(signum, self._forward_signal)
        kwargs: dict[str, Any] = {}
        if sys.version_info >= (3, 11):
            kwargs["process_group"] = 0
        else:
            kwargs["preexec_fn"] = os.setpgrp
        env.pop("WANDB_SERVICE", None)
        # Like the real agent: a new process group and a closed stdin, so a trial that
        # reads stdin gets EOF instead of blocking.
        # (Not with signals held: the trial would inherit the blocked mask.)
        self._popen = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, **kwargs)
        assert self._popen.stdin is not None
        self._popen.stdin.close()

    def _forward_signal(self, signum: int, frame: Any) -> None:
        if self._popen:
            self._popen.send_signal(signum)
        original = self._original_handlers.get(signum)
        if original and callable(original):
            original(signum, frame)
        elif signum in _TERMINATING_SIGNALS:
            raise ShutdownSignal(signum)

    def poll(self) -> int | None:
        with _signals_held():
            return self._popen.poll()

    def wait(self, timeout: float | None = None) -> int:
        """Like Popen.wait, but signals are handled between polls, never inside Popen."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            returncode = self.poll()
            if returncode is not None:
                return returncode
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(self._popen.args, timeout)  # type: ignore[arg-type]
            time.sleep(0.02)  # signals are handled here, outside Popen

    def kill(self) -> None:
        with _signals_held():
            self._popen.kill()

    def terminate(self) -> None:
        with _signals_held():
            self._popen.terminate()


class _CliAgent:
    def __init__(
        self,
        sweep: dict,
        count: int | None,
        max_consecutive_failed_runs: int | None,
        forward_signals: bool,
        term_timeout: int | None,
    ) -> None:
        self._sweep = sweep
        self._sweep_id = sweep["id"]
        template = sweep["config"].get("command")
        self._template = template if isinstance(template, list) else None
        self._program = sweep["config"].get("program")
        self._count = count
        self._max_consecutive = math.inf if max_consecutive_failed_runs is None else max_consecutive_failed_runs
        self._forward_signals = forward_signals
        self._term_timeout = term_timeout
        self._kill_delay = _env_int("WANDB_AGENT_KILL_DELAY", KILL_DELAY)
        self._run_processes: dict[str, _AgentProcess] = {}
        self._running = True
        self._start_time = time.time()
        self._finished = self._failed = self._consecutive_failed = 0

    def run(self) -> None:
        self._server = _Server(self._sweep, "agent-cli")
        try:
            self._run_tiers()
        finally:
            self._server.exited()

    def _run_tiers(self) -> None:
        tier = TerminationTier.NORMAL_EXECUTION
        while tier <= TerminationTier.KILL_CHILDREN:
            try:
                if tier == TerminationTier.NORMAL_EXECUTION:
                    self._run_loop()
                    tier = TerminationTier.TERMINATE_AND_WAIT_FOR_CHILDREN
                    continue
                elif tier == TerminationTier.WAIT_FOR_CHILDREN:
                    self._wait_for_processes_with_term_timeout()
                elif tier == TerminationTier.TERMINATE_AND_WAIT_FOR_CHILDREN:
                    if any(p.poll() is None for p in self._run_processes.values()):
                        termlog("Terminating and syncing runs. Send shutdown signal again to kill.")
                        for process in self._run_processes.values():
                            with contextlib.suppress(OSError):
                                process.terminate()
                        self._wait_for_processes_with_term_timeout()
                elif tier == TerminationTier.KILL_CHILDREN:
                    termlog("Killing runs and quitting.")
                    for process in self._run_processes.values():
                        with contextlib.suppress(OSError):
                            process.kill()
                    self._settle_all()
                break
            except subprocess.TimeoutExpired:
                termlog(f"Child runs took longer than {self._term_timeout} seconds to end. Attempting to kill them.")
                tier = TerminationTier.KILL_CHILDREN
            except (KeyboardInterrupt, ShutdownSignal, SystemExit) as e:
                tier = tier.succ()
                if tier == TerminationTier.WAIT_FOR_CHILDREN:
                    label = "ctrl-c"
                    if isinstance(e, ShutdownSignal) and e.signum != signal.SIGINT:
                        label = e.label
                    termlog(f"{label} received. Waiting for runs to end. Send {label} again to terminate them.")

    def _wait_for_processes_with_term_timeout(self) -> None:
        start = time.monotonic()
        remaining = None
        for run_id, process in list(self._run_processes.items()):
            if self._forward_signals and self._term_timeout is not None:
                remaining = max(0, self._term_timeout - (time.monotonic() - start))
            process.wait(timeout=remaining)
        self._settle_all()

    def _settle_all(self) -> None:
        """The store's part of the server's job: final states for trials that ended."""
        from wandb import _store

        for run_id, process in list(self._run_processes.items()):
            returncode = process.wait()
            with _signals_held():
                _store.settle_trial(run_id, returncode)
                del self._run_processes[run_id]

    def _run_loop(self) -> None:
        from wandb import _store

        try:
            while self._running:
                for run_id, process in list(self._run_processes.items()):
                    returncode = process.poll()
                    if returncode is None:
                        continue
                    with _signals_held():
                        _store.settle_trial(run_id, returncode)
                        del self._run_processes[run_id]
                    exited_with_error = returncode > 0
                    if exited_with_error:
                        self._failed += 1
                        self._consecutive_failed += 1
                    else:
                        self._consecutive_failed = 0
                    if self._consecutive_failed >= self._max_consecutive:
                        termerror(f"Detected {self._consecutive_failed} consecutive failed runs, shutting down.")
                        self._running = False
                        break
                    if exited_with_error and self._stops_for_failures():
                        self._running = False
                        break
                    self._finished += 1
                if self._count and self._finished >= self._count or not self._running:
                    self._running = False
                    continue
                commands = self._server.heartbeat(list(self._run_processes))
                for command in commands:
                    self._process_command(command)
                if self._running and not any(c["type"] in ("run", "resume") for c in commands):
                    self._wait_a_little()
        except KeyboardInterrupt as kb:
            raise ShutdownSignal(signal.SIGINT) from kb

    def _wait_a_little(self) -> None:
        """Until the next heartbeat, or until a trial ends (then at once)."""
        processes = list(self._run_processes.values())
        if not processes:
            time.sleep(POLL_SECONDS)
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            processes[0].wait(timeout=POLL_SECONDS)

    def _stops_for_failures(self) -> bool:
        flapping = (
            os.getenv("WANDB_AGENT_DISABLE_FLAPPING") != "true"
            and time.time() < self._start_time + FLAPPING_MAX_SECONDS
            and self._failed >= FLAPPING_MAX_FAILURES
        )
        if flapping:
            termerror(
                f"Detected {FLAPPING_MAX_FAILURES} failed runs in the first {FLAPPING_MAX_SECONDS} seconds, shutting down."
            )
            termlog("To disable this check set WANDB_AGENT_DISABLE_FLAPPING=true")
            return True
        max_initial = _max_initial_failures()
        if self._failed >= self._finished and max_initial <= self._failed:
            termerror(f"Detected {max_initial} failed runs in a row, shutting down.")
            termlog("To change this value set WANDB_AGENT_MAX_INITIAL_FAILURES=val")
            return True
        return False

    def _process_command(self, command: dict[str, Any]) -> None:
        if command["type"] in ("run", "resume"):
            self._command_run(command)
        elif command["type"] == "stop":
            self._command_stop(command)
        elif command["type"] == "exit":
            self._command_exit()

    def _command_run(self, command: dict[str, Any]) -> None:
        from wandb._command import build_command
        from wandb.sdk.lib import config_util

        run_id, params = command["run_id"], command["args"]
        param_path, json_path = _trial_files(self._sweep_id, run_id)
        config_util.save_config_file_from_dict(param_path, params)
        argv = build_command(self._template, self._program, params, json_path)
        env = dict(os.environ)
        env.update(WANDB_RUN_ID=run_id, WANDB_SWEEP_PARAM_PATH=param_path, WANDB_SWEEP_ID=self._sweep_id)
        _announce(run_id, params)
        self._run_processes[run_id] = _AgentProcess(argv, env, self._forward_signals)

    def _command_stop(self, command: dict[str, Any]) -> None:
        process = self._run_processes.get(command["run_id"])
        if process is None:
            return
        now = time.monotonic()
        if process.last_sigterm_time is None:
            process.last_sigterm_time = now
            with contextlib.suppress(OSError):
                process.terminate()
        elif now > process.last_sigterm_time + self._kill_delay:
            with contextlib.suppress(OSError):
                process.kill()

    def _command_exit(self) -> None:
        for process in self._run_processes.values():
            process.last_sigterm_time = time.monotonic()
            with contextlib.suppress(OSError):
                process.kill()
        self._settle_all()
        self._running = False


def run_cli_agent(
    sweep_path: str,
    entity: str | None = None,
    project: str | None = None,
    count: int | None = None,
    max_consecutive_failed_runs: int | None = None,
    *,
    forward_signals: bool = False,
    term_timeout: int | None = None,
) -> None:
    """The ``wandb agent`` loop: one subprocess per trial, one trial at a time."""
    resolved = _resolve(sweep_path, entity, project)
    if resolved is None:
        return
    sweep, _ = resolved
    _CliAgent(sweep, count, max_consecutive_failed_runs, forward_signals, term_timeout).run()
