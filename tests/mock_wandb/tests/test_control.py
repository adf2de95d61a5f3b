"""Sweep states and what agents do in each (`wandb sweep --pause/--resume/--stop/--cancel`),
`Run.mark_preempting`, preempted runs and their requeue, and the CLI agent's signals
(`--forward-signals`, `--term-timeout`, the shutdown tiers).

The trials of the CLI-agent tests wait for a file that the test writes, so that a signal or a
command always reaches a running trial; every wait is for an event (a file, a line printed, a
store row, a process exiting) under a generous, named timeout.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from mockhelpers import run_python

import wandb
from wandb import _store
from wandb.apis import public
from wandb.errors import CommError, UsageError

# Far more than any event here takes on a loaded machine (an agent process imports the
# sweep engine in a second or two): reaching it means the event will not come.
EVENT_TIMEOUT = 60

GRID = {
    "program": "trial.py",
    "method": "grid",
    "metric": {"name": "val_loss", "goal": "minimize"},
    "parameters": {"lr": {"values": [0.1, 0.2, 0.3]}},
}

# A trial that announces itself (started-<run id> holds its pid), then waits for go-<run id>
# or go-all. What it does on a signal depends on the HANDLE variable: "exit" (mark
# preempting, exit 128 + signum), "ignore", or nothing (Python's defaults).
TRIAL = textwrap.dedent(
    """
    import os, signal, sys, time
    import wandb

    run = wandb.init()
    handle = os.environ.get("HANDLE", "")
    if handle:
        def handler(signum, frame):
            if handle == "exit":
                run.mark_preempting()
                sys.exit(128 + signum)
        for name in ("SIGTERM", "SIGUSR1"):
            signal.signal(getattr(signal, name), handler)
    with open(f"started-{run.id}.tmp", "w") as f:
        f.write(str(os.getpid()))
    os.replace(f"started-{run.id}.tmp", f"started-{run.id}")
    while not (os.path.exists(f"go-{run.id}") or os.path.exists("go-all")):
        time.sleep(0.01)
    run.log({"val_loss": run.config.lr})
    run.finish()
    """
)


def wait_for(predicate, what: str, timeout: float = EVENT_TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


def create(config: dict = GRID, project: str = "ctl") -> str:
    sweep_id = wandb.sweep(config, project=project)
    return f"mock-entity/{project}/{sweep_id}"


def run_state(run_id: str) -> str:
    return _store.get_run(run_id)["state"]


# Seconds an agent that timed out gets to print its stack (on a failure only).
REPORT_TIMEOUT = 10


def _signal_state(pid: int) -> list[str] | str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "gone"
    return [line for line in status.splitlines() if line.startswith(("State", "SigBlk", "SigIgn", "SigCgt", "SigPnd", "ShdPnd"))]


class Agent:
    """`wandb agent` in a process of its own, on the TRIAL program, in `folder`."""

    def __init__(self, folder: Path, path: str, *options: str, env: dict | None = None) -> None:
        (folder / "trial.py").write_text(TRIAL)
        self.folder = folder
        self.sweep_id = path.split("/")[-1]
        self.err = folder / f"agent-{time.monotonic_ns()}.err"
        with open(self.err, "w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "wandb", "agent", *options, path],
                cwd=folder, env={**os.environ, "PYTHONFAULTHANDLER": "1", **(env or {})}, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=err,
            )

    def stderr(self) -> str:
        return self.err.read_text()

    def trial(self, n: int) -> tuple[str, int]:
        """The n-th trial (1-based) this folder saw start: its run id and pid."""
        def started():
            found = [p for p in self.folder.glob("started-*") if p.suffix != ".tmp"]  # written whole
            found.sort(key=lambda p: p.stat().st_mtime_ns)
            return found[n - 1] if len(found) >= n else None

        marker = wait_for(started, f"trial {n} to start")
        run_id = marker.name.removeprefix("started-")
        self.running(run_id, since=0)
        return run_id, int(marker.read_text())

    def running(self, run_id: str, since: float) -> None:
        """Wait until the agent has told the store, after `since`, that it runs `run_id`: from
        then on the trial is one of its processes (signals sent to the agent reach it)."""
        wait_for(
            lambda: any(run_id in a["running"] and (a["heartbeat_at"] or 0) > since for a in _store.sweep_agents(self.sweep_id)),
            f"the agent to report {run_id} running",
        )

    def go(self, run_id: str | None = None) -> None:
        (self.folder / (f"go-{run_id}" if run_id else "go-all")).write_text("")

    def wait_for_line(self, text: str) -> None:
        wait_for(lambda: text in self.stderr() or self.proc.poll() is not None, repr(text))
        assert text in self.stderr(), self.stderr()

    def wait(self) -> int:
        try:
            return self.proc.wait(timeout=EVENT_TIMEOUT)
        except subprocess.TimeoutExpired:
            # What a failure report needs: the processes' signal state, and where the agent
            # is stuck (PYTHONFAULTHANDLER prints its stack on SIGABRT).
            trials = {p.name: p.read_text() for p in self.folder.glob("started-*")}
            states = {pid: _signal_state(pid) for pid in [self.proc.pid, *(int(t) for t in trials.values() if t)]}
            self.proc.send_signal(signal.SIGABRT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=REPORT_TIMEOUT)
            raise AssertionError(f"agent still running; trials {trials}; {states}; its stderr:\n{self.stderr()}") from None
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture
def agents():
    started: list[Agent] = []
    yield started
    for agent in started:
        if agent.proc.poll() is None:
            agent.proc.kill()
            agent.proc.wait()
        agent.go()  # an orphaned trial ends instead of waiting forever


# --- wandb sweep --pause/--resume/--stop/--cancel ---------------------------------------


def test_state_commands_print_the_real_lines(capsys):
    from wandb.cli import main

    path = create()
    sweep_id = path.split("/")[-1]
    capsys.readouterr()
    for flag, state, ing in [
        ("--pause", "PAUSED", "Pausing"),
        ("--resume", "RUNNING", "Resuming"),
        ("--stop", "FINISHED", "Stopping"),
    ]:
        assert main(["sweep", flag, path]) == 0
        assert capsys.readouterr().err == f"wandb: {ing} sweep {path}\nwandb: Done.\n"
        assert wandb.Api().sweep(path).state == state
    # A bare ID: the real CLI prints the entity and project it was given, None here.
    assert main(["sweep", "--resume", sweep_id]) == 0
    assert capsys.readouterr().err == f"wandb: Resuming sweep None/None/{sweep_id}\nwandb: Done.\n"
    assert main(["sweep", "--cancel", "-e", "mock-entity", "-p", "ctl", sweep_id]) == 0
    assert capsys.readouterr().err.startswith(f"wandb: Cancelling sweep mock-entity/ctl/{sweep_id}\n")
    assert wandb.Api().sweep(path).state == "CANCELED"


def test_state_command_errors(capsys, monkeypatch):
    from wandb.cli import main

    capsys.readouterr()
    assert main(["sweep", "--pause", "nosuchid"]) == 1
    assert capsys.readouterr().err == (
        "wandb: Pausing sweep None/None/nosuchid\nError: Sweep None/None/nosuchid not found\n"
    )
    monkeypatch.setenv("WANDB_ENTITY", "team")
    assert main(["sweep", "--stop", "p/nosuchid"]) == 1
    assert capsys.readouterr().err.endswith("Error: Sweep team/p/nosuchid not found\n")
    with pytest.raises(Exception, match=r"^Only one state flag \(stop/cancel/pause/resume\) is allowed\.$"):
        main(["sweep", "--stop", "--pause", "x"])
    assert main(["sweep", "--pause", "a/b/c/d"]) == 0
    assert capsys.readouterr().err == (
        "wandb: ERROR Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep\n"
    )


@pytest.mark.parametrize(
    "current, target, message",
    [
        ("RUNNING", "PAUSED", None),
        ("PAUSED", "PAUSED", None),
        ("FINISHED", "PAUSED", "Cannot pause finished sweep."),
        ("CANCELED", "PAUSED", "Cannot pause canceled sweep."),
        ("PAUSED", "FINISHED", None),
        ("FINISHED", "FINISHED", "Sweep already finished."),
        ("CANCELED", "CANCELED", "Sweep already canceled."),
        ("FINISHED", "CANCELED", "Sweep already finished."),
        ("FINISHED", "RUNNING", None),  # resuming is never refused by the SDK
        ("CANCELED", "RUNNING", None),
    ],
)
def test_set_sweep_state_checks(current, target, message):
    path = create()
    sweep_id = path.split("/")[-1]
    _store.set_sweep_state(sweep_id, current)
    if message is None:
        public._set_sweep_state(wandb.Api(), sweep_id, target)
        assert wandb.Api().sweep(path).state == target
    else:
        with pytest.raises(Exception) as e:
            public._set_sweep_state(wandb.Api(), sweep_id, target)
        assert type(e.value) is Exception and str(e.value) == message
        assert wandb.Api().sweep(path).state == current


def test_set_sweep_state_unknown_sweep():
    with pytest.raises(CommError, match=r"^Sweep e/p/nope not found$"):
        public._set_sweep_state(wandb.Api(), "nope", "PAUSED", entity="e", project="p")


# --- the server's side: what a heartbeat answers in each state ----------------------------


def _heartbeat(agent_id: str, running: list[str]):
    from wandb import _engine
    from wandb._ids import new_id

    return _store.agent_heartbeat(
        agent_id, running,
        propose=lambda config, runs, trial: _engine.propose(config, runs, trial, "s"),
        make_run_id=lambda n: new_id("hb", "trial", n), claimed_by="test",
    )


def test_heartbeat_commands_follow_the_sweep_state():
    path = create()
    sweep_id = path.split("/")[-1]
    agent = _store.register_agent(sweep_id, "host")
    (first,) = _heartbeat(agent, [])
    assert first["type"] == "run" and first["args"] == {"lr": {"value": 0.1}}
    assert _heartbeat(agent, [first["run_id"]]) == []
    _store.set_sweep_state(sweep_id, "PAUSED")
    assert _heartbeat(agent, [first["run_id"]]) == []
    assert _heartbeat(agent, []) == []  # idle and paused: wait
    _store.request_stop(first["run_id"])
    assert _heartbeat(agent, [first["run_id"]]) == [{"type": "stop", "run_id": first["run_id"]}]
    _store.set_sweep_state(sweep_id, "FINISHED")
    assert _heartbeat(agent, [first["run_id"]]) == [{"type": "stop", "run_id": first["run_id"]}]
    assert _heartbeat(agent, []) == [{"type": "exit"}]
    _store.set_sweep_state(sweep_id, "CANCELED")
    assert _heartbeat(agent, [first["run_id"]]) == [{"type": "exit"}]
    row = _store.get_agent(agent)
    assert row["heartbeats"] == 8 and row["total_runs"] == 1 and row["pid"] == os.getpid()


def test_heartbeat_exit_when_exhausted_and_preempted_runs_first():
    path = create({**GRID, "parameters": {"lr": {"values": [0.1, 0.2]}}})
    sweep_id = path.split("/")[-1]
    agent = _store.register_agent(sweep_id, "host")
    one = _heartbeat(agent, [])[0]["run_id"]
    two = _heartbeat(agent, [])[0]["run_id"]
    for run_id, code in ((one, 143), (two, 0)):
        _store.start_run(run_id, "mock-entity", "ctl", None, sweep_id, {}, {})
        if code:
            _store.mark_preempting(run_id)
            assert run_state(run_id) == "preempting"
        _store.settle_trial(run_id, code)
    assert (run_state(one), run_state(two)) == ("preempted", "finished")
    # The preempted run comes back first, same ID and parameters, as a `resume`.
    (again,) = _heartbeat(agent, [])
    assert again == {"type": "resume", "run_id": one, "args": {"lr": {"value": 0.1}}}
    assert run_state(one) == "pending" and _store.get_run(one)["metadata"]["requeued"] == 1
    _store.settle_trial(one, 0)
    assert _heartbeat(agent, []) == [{"type": "exit"}]  # nothing left: the sweep finishes
    assert wandb.Api().sweep(path).state == "FINISHED"


def test_a_finished_sweep_hands_out_its_preempted_run_once_resumed():
    path = create({**GRID, "parameters": {"lr": {"values": [0.1]}}})
    sweep_id = path.split("/")[-1]
    agent = _store.register_agent(sweep_id, "host")
    run_id = _heartbeat(agent, [])[0]["run_id"]
    other = _store.register_agent(sweep_id, "elsewhere")
    assert _heartbeat(other, []) == [{"type": "exit"}]  # the grid has nothing left
    _store.start_run(run_id, "mock-entity", "ctl", None, sweep_id, {}, {})
    _store.mark_preempting(run_id)
    _store.settle_trial(run_id, -signal.SIGKILL)  # killed after marking itself: preempted
    assert run_state(run_id) == "preempted"
    later = _store.register_agent(sweep_id, "later")
    assert _heartbeat(later, []) == [{"type": "exit"}]  # FINISHED: not even requeued runs
    public._set_sweep_state(wandb.Api(), sweep_id, "RUNNING")
    assert _heartbeat(later, [])[0] == {"type": "resume", "run_id": run_id, "args": {"lr": {"value": 0.1}}}


def test_settle_trial_states():
    path = create({**GRID, "parameters": {"lr": {"values": [0.1, 0.2, 0.3, 0.4]}}})
    sweep_id = path.split("/")[-1]
    agent = _store.register_agent(sweep_id, "host")
    cases = [(0, False, "finished"), (3, False, "failed"), (-9, False, "crashed"), (0, True, "finished")]
    for code, marked, expected in cases:
        run_id = _heartbeat(agent, [])[0]["run_id"]
        _store.start_run(run_id, "mock-entity", "ctl", None, sweep_id, {}, {})
        if marked:
            _store.mark_preempting(run_id)
        _store.settle_trial(run_id, code)
        assert run_state(run_id) == expected, (code, marked)
        assert _store.get_run(run_id)["exit_code"] == code


def test_a_stopped_run_ends_killed_unless_it_ended_well():
    path = create({**GRID, "parameters": {"lr": {"values": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}}})
    sweep_id = path.split("/")[-1]
    agent = _store.register_agent(sweep_id, "host")
    # (exit status, finished itself as failed first (a function trial), marked preempting)
    cases = [
        (-signal.SIGTERM, False, False, "killed"),  # a CLI trial ended by the stop's SIGTERM
        (1, True, False, "killed"),  # a function trial ended by the stop's exception
        (-signal.SIGKILL, False, True, "killed"),  # the stop wins over preemption: no requeue
        (143, False, False, "killed"),  # a trial whose SIGTERM handler exits
        (0, False, False, "finished"),  # it ended well anyway
    ]
    for code, failed_first, preempting, expected in cases:
        (command,) = _heartbeat(agent, [])
        run_id = command["run_id"]
        _store.start_run(run_id, "mock-entity", "ctl", None, sweep_id, {}, {})
        if preempting:
            _store.mark_preempting(run_id)
        _store.request_stop(run_id, "hyperband")
        assert _heartbeat(agent, [run_id]) == [{"type": "stop", "run_id": run_id}]
        if failed_first:
            _store.finish_run(run_id, "failed", code, {}, {}, [])
        _store.settle_trial(run_id, code)
        assert (run_state(run_id), _store.get_run(run_id)["exit_code"]) == (expected, code), (code, expected)
    # The requests stay (a local controller reads its runs' `stopped` from them); a run that
    # has ended cannot be asked to stop.
    assert len(_store.stopped_run_ids(sweep_id)) == 5
    (command,) = _heartbeat(agent, [])
    _store.settle_trial(command["run_id"], 0)
    _store.request_stop(command["run_id"])
    assert not _store.stop_requested(command["run_id"])


def test_a_requeued_run_forgets_its_stop_request():
    path = create({**GRID, "parameters": {"lr": {"values": [0.1]}}})
    sweep_id = path.split("/")[-1]
    agent = _store.register_agent(sweep_id, "host")
    run_id = _heartbeat(agent, [])[0]["run_id"]
    _store.start_run(run_id, "mock-entity", "ctl", None, sweep_id, {}, {})
    _store.mark_preempting(run_id)
    _store.settle_trial(run_id, 143)
    assert run_state(run_id) == "preempted"
    # Asked to stop too late (the run had ended): nothing to forget, nothing stopped.
    _store.request_stop(run_id)
    assert _heartbeat(agent, [])[0]["type"] == "resume"
    assert _heartbeat(agent, [run_id]) == []


def test_heartbeat_of_a_local_controller_sweep_hands_out_its_proposals():
    from wandb._ids import new_id

    config = {**GRID, "controller": {"type": "local"}}
    path = create(config)
    sweep_id = path.split("/")[-1]
    agent = _store.register_agent(sweep_id, "host")

    def heartbeat(running):  # no engine: a local controller's sweep never needs it
        return _store.agent_heartbeat(
            agent, running, propose=None, make_run_id=lambda n: new_id("hb", "trial", n), claimed_by="test"
        )

    assert heartbeat([]) == []  # nothing proposed yet: wait
    assert wandb.Api().sweep(path).state == "RUNNING"
    schedule = [{"id": "a", "data": {"args": {"lr": {"value": 0.2}}}}, {"id": "b", "data": {"args": {"lr": {"value": 0.3}}}}]
    _store.save_controller(sweep_id, {"schedule": schedule})
    (first,) = heartbeat([])
    assert first["type"] == "run" and first["args"] == {"lr": {"value": 0.2}}
    (second,) = heartbeat([])
    assert second["args"] == {"lr": {"value": 0.3}}
    assert heartbeat([]) == []  # both taken: wait for the next proposal
    _, scheduler = _store.get_control(sweep_id)
    assert scheduler == {"scheduled": [{"id": "a", "runid": first["run_id"]}, {"id": "b", "runid": second["run_id"]}]}
    # The controller's early-stop list: a stop command for that run, decided by the controller.
    _store.start_run(first["run_id"], "mock-entity", "ctl", None, sweep_id, {}, {})
    _store.save_controller(sweep_id, {"schedule": [], "earlystop": [first["run_id"]]})
    assert heartbeat([first["run_id"]]) == [{"type": "stop", "run_id": first["run_id"]}]
    _store.settle_trial(first["run_id"], -signal.SIGTERM)
    assert run_state(first["run_id"]) == "killed"
    # A proposal of nothing finishes the sweep: an idle agent exits.
    _store.save_controller(sweep_id, {"schedule": [{"id": "c", "data": {"args": None}}]})
    assert heartbeat([]) == [{"type": "exit"}]
    assert wandb.Api().sweep(path).state == "FINISHED"


def test_threads_of_one_process_write_the_store_at_the_same_time():
    # A function agent heartbeats from its thread while its trial writes from another:
    # each thread has its own connection (one connection holds one transaction at a time).
    path = create()
    sweep_id = path.split("/")[-1]
    errors = []

    def work():
        try:
            for _ in range(100):
                with _store.transaction() as conn:
                    conn.execute("UPDATE sweeps SET state = state WHERE id = ?", (sweep_id,))
        except Exception as e:  # noqa: BLE001  (reported below)
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(EVENT_TIMEOUT)
    assert errors == []


# --- Run.mark_preempting -------------------------------------------------------------------


def test_mark_preempting_then_exit_codes(monkeypatch):
    # As in a fresh process (an earlier test's finished run may still be bound there).
    monkeypatch.setattr(wandb, "mark_preempting", wandb._preinit.PreInitCallable("wandb.mark_preempting", wandb.Run.mark_preempting))
    with pytest.raises(wandb.Error, match=r"^You must call wandb.init\(\) before wandb.mark_preempting\(\)$"):
        wandb.mark_preempting()
    run = wandb.init(project="p")
    assert wandb.mark_preempting == run.mark_preempting
    run.mark_preempting()
    assert run_state(run.id) == "preempting"
    run.finish(exit_code=143)
    assert run_state(run.id) == "preempted"
    with pytest.raises(UsageError, match=r"is finished. The call to `mark_preempting` will be ignored"):
        run.mark_preempting()
    with pytest.raises(UsageError):
        wandb.mark_preempting()  # still the finished run's, as in the SDK
    other = wandb.init(project="p")
    other.mark_preempting()
    other.finish()
    assert run_state(other.id) == "finished"  # exit code 0 wins


@pytest.mark.parametrize(
    "body, code, state",
    [
        ("raise KeyboardInterrupt", 255, "killed"),
        ("run.mark_preempting(); raise KeyboardInterrupt", 255, "preempted"),
        ("raise ValueError('x')", 1, "failed"),
        ("import sys; sys.exit(7)", 7, "failed"),
    ],
)
def test_exit_hooks_codes_and_states(tmp_path, body, code, state):
    result = run_python(f"import wandb\nrun = wandb.init(project='p')\nprint(run.id, flush=True)\n{body}\n", cwd=tmp_path)
    run_id = result.stdout.split()[0]
    row = _store.get_run(run_id)
    assert (row["exit_code"], row["state"]) == (code, state), result.stderr


# --- the function agent (pyagent) ------------------------------------------------------------


def _function_agent(path: str, function, **kwargs) -> threading.Thread:
    thread = threading.Thread(target=wandb.agent, args=(path,), kwargs=dict(function=function, **kwargs))
    thread.start()
    return thread


def test_function_agent_pause_resume_stop(capsys):
    path = create()
    sweep_id = path.split("/")[-1]
    gates = [threading.Event(), threading.Event()]  # one per trial the test lets finish
    calls = []

    def train():
        with wandb.init() as run:
            calls.append(run.id)
            gates[len(calls) - 1].wait(EVENT_TIMEOUT)
            run.log({"val_loss": run.config.lr})

    thread = _function_agent(path, train)
    wait_for(lambda: len(calls) == 1, "the first trial")
    public._set_sweep_state(wandb.Api(), sweep_id, "PAUSED")
    gates[0].set()
    wait_for(lambda: "Sweep Agent: Waiting for job." in capsys.readouterr().err, "the agent to wait")
    assert len(wandb.Api().sweep(path).runs) == 1 and thread.is_alive()
    public._set_sweep_state(wandb.Api(), sweep_id, "RUNNING")
    wait_for(lambda: len(calls) == 2, "the second trial")
    public._set_sweep_state(wandb.Api(), sweep_id, "FINISHED")
    gates[1].set()
    thread.join(EVENT_TIMEOUT)
    err = capsys.readouterr().err
    assert err.startswith("wandb: Job received.\n")
    assert err.endswith("Sweep Agent: Waiting for job.\nwandb: Sweep Agent: Exiting.\n")
    assert [r.state for r in wandb.Api().sweep(path).runs] == ["finished", "finished"]


def test_function_agent_cancel_raises_in_the_trial_thread(capsys):
    path = create()
    started, reached = threading.Event(), []

    def train():
        with wandb.init():
            started.set()
            while True:  # Python code, where the agent's asynchronous exception lands
                reached.append(1)
                time.sleep(0.01)

    thread = _function_agent(path, train)
    assert started.wait(EVENT_TIMEOUT)
    public._set_sweep_state(wandb.Api(), path.split("/")[-1], "CANCELED")
    thread.join(EVENT_TIMEOUT)
    assert not thread.is_alive()
    (run,) = wandb.Api().sweep(path).runs
    assert run.state == "failed" and run.exit_code == 1
    err = capsys.readouterr().err
    assert err.rstrip().endswith("Exception") and "errored" not in err  # stopped, not errored


def test_function_agent_handler_in_function_fails():
    path = create()

    def train():
        with wandb.init():
            signal.signal(signal.SIGTERM, lambda *a: None)

    wandb.agent(path, function=train, count=1)
    (run,) = wandb.Api().sweep(path).runs
    assert run.state == "failed"


# --- the CLI agent: signals and stop commands (wandb_agent.py) ---------------------------------
# (Pause, resume, stop and cancel under a running CLI agent: the tests of
# docs/*/guides/sweeps/pause-resume-stop-sweeps.md and tests/conformance/probe_control.py.)


def test_cli_agent_sigterm_without_forwarding_orphans_the_trial(tmp_path, agents):
    path = create()
    agent = Agent(tmp_path, path)
    agents.append(agent)
    run_id, pid = agent.trial(1)
    agent.proc.send_signal(signal.SIGTERM)
    assert agent.wait() == -signal.SIGTERM  # no handler: the agent dies at once
    assert run_state(run_id) == "running"  # its trial goes on alone
    agent.go(run_id)
    wait_for(lambda: run_state(run_id) == "finished", "the orphaned trial to finish")
    assert len(wandb.Api().sweep(path).runs) == 1


def test_cli_agent_forwards_sigterm_and_waits(tmp_path, agents):
    path = create()
    agent = Agent(tmp_path, path, "--forward-signals", env={"HANDLE": "exit"})
    agents.append(agent)
    run_id, _ = agent.trial(1)
    agent.proc.send_signal(signal.SIGTERM)
    assert agent.wait() == 0
    assert "wandb: SIGTERM received. Waiting for runs to end. Send SIGTERM again to terminate them.\n" in agent.stderr()
    row = _store.get_run(run_id)
    assert (row["state"], row["exit_code"]) == ("preempted", 128 + signal.SIGTERM)


def test_cli_agent_forwarded_sigusr1_then_sigint(tmp_path, agents):
    path = create()
    agent = Agent(tmp_path, path, "-f", env={"HANDLE": "exit"})
    agents.append(agent)
    first, pid = agent.trial(1)
    marker = tmp_path / f"started-{first}"
    # SIGUSR1 is forwarded and the agent carries on: the trial marks itself preempting and
    # exits 128 + 10, and the agent's next trial is that same run, requeued.
    agent.proc.send_signal(signal.SIGUSR1)
    wait_for(lambda: marker.read_text() != str(pid), "the requeued run to start again")
    agent.running(first, since=time.time())
    row = _store.get_run(first)
    assert row["metadata"]["requeued"] == 1 and row["state"] == "running"
    assert len(wandb.Api().sweep(path).runs) == 1
    # SIGINT is forwarded too: Python's default in the trial is a KeyboardInterrupt (exit
    # code 255 for the SDK, a killed run); the agent waits for it, then exits.
    agent.proc.send_signal(signal.SIGINT)
    assert agent.wait() == 0
    # (The trial's KeyboardInterrupt traceback goes to the same stderr, in any order.)
    assert "wandb: ctrl-c received. Waiting for runs to end. Send ctrl-c again to terminate them.\n" in agent.stderr()
    row = _store.get_run(first)
    assert (row["state"], row["exit_code"]) == ("killed", 255)


def test_cli_agent_second_signal_terminates_and_term_timeout_kills(tmp_path, agents):
    path = create()
    agent = Agent(tmp_path, path, "--forward-signals", env={"HANDLE": "ignore"})
    agents.append(agent)
    first, _ = agent.trial(1)
    agent.proc.send_signal(signal.SIGTERM)
    agent.wait_for_line("SIGTERM received. Waiting for runs to end.")
    agent.proc.send_signal(signal.SIGTERM)  # the trial ignores SIGTERM: the third signal kills it
    agent.wait_for_line("Terminating and syncing runs. Send shutdown signal again to kill.")
    agent.proc.send_signal(signal.SIGTERM)
    assert agent.wait() == 0
    assert agent.stderr().endswith("wandb: Killing runs and quitting.\n")
    assert run_state(first) == "crashed"

    # --term-timeout: the agent kills a trial that outlives it after the first signal.
    path = create(project="timeout")
    folder = tmp_path / "timeout"
    folder.mkdir()
    agent = Agent(folder, path, "--forward-signals", "--term-timeout", "1", env={"HANDLE": "ignore"})
    agents.append(agent)
    run_id, _ = agent.trial(1)
    agent.proc.send_signal(signal.SIGTERM)
    assert agent.wait() == 0
    assert agent.stderr().endswith(
        "wandb: Child runs took longer than 1 seconds to end. Attempting to kill them.\n"
        "wandb: Killing runs and quitting.\n"
    )
    assert run_state(run_id) == "crashed"


def test_cli_agent_stop_command_sends_sigterm_then_goes_on(tmp_path, agents):
    path = create()
    agent = Agent(tmp_path, path)
    agents.append(agent)
    first, _ = agent.trial(1)
    _store.request_stop(first)  # what stopping a run in the app, or early termination, does
    # A stopped run ends killed (forcibly stopped), and the agent does not count it as failed.
    wait_for(lambda: run_state(first) == "killed", "the stopped trial to end")
    assert _store.get_run(first)["exit_code"] == -signal.SIGTERM
    second, _ = agent.trial(2)
    agent.go()
    assert agent.wait() == 0
    assert [r.state for r in wandb.Api().sweep(path).runs] == ["killed", "finished", "finished"]
