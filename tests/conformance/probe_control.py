"""Sweep control, preemption and the CLI agent's side of the protocol, probed offline on
whichever ``wandb`` this interpreter imports (the real 0.31, or the mock when
``PYTHONPATH=tests/mock_wandb/src``). Prints ``@@FACTS@@`` and one JSON object.

The real SDK needs the W&B server for these, so the probe plays the server:

* ``_set_sweep_state`` (what ``wandb sweep --pause/...`` calls) runs against a fake
  GraphQL service that answers with a sweep in a given state (real), or against a sweep
  put in that state in the store (mock);
* ``wandb sweep --<state>`` runs through the command itself, with ``_set_sweep_state``
  replaced by a recorder: the lines it prints and what it asks for;
* the CLI agent (``wandb_agent.Agent`` / the mock's ``_CliAgent``) runs in this process
  with a scripted server: the same heartbeat answers (``run``, ``stop``, ``exit``, nothing)
  on both sides, given through a fake GraphQL service (real) or a fake ``_Server`` (mock).
  Its trials are a small program without wandb that logs what happens to it; a controller
  thread sends the signals. Both agents poll every 0.05 s here (the real one's
  ``POLL_INTERVAL`` is set to that; it is 5 s).
* the function agent (``wandb.agent(function=...)``: ``pyagent.Agent`` / the mock's
  ``_FunctionAgent``) the same way, on a function that loops in Python until the agent's
  ``stop`` or ``exit`` ends it: what the function gets, what the agent prints. The real
  agent's 5-second waits (heartbeat sleep, its queue's timeout, its pause) are made
  0.05 s here.

The mock prints ``Agent Starting Run`` lines that the real CLI agent sends to its logger
instead (a documented difference): they are left out of the compared output.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

import wandb

IS_MOCK = importlib.util.find_spec("wandb._store") is not None
EVENT_TIMEOUT = 60  # seconds; generous: every event here takes well under one

TRIAL = """
import os, signal, sys, time
log = open(os.environ["TRIAL_LOG"], "a")
def on(signum, frame):
    log.write(f"signal {signum}\\n"); log.flush()
    if not os.environ.get("TRIAL_IGNORE"):
        sys.exit(128 + signum)
signal.signal(signal.SIGTERM, on)
signal.signal(signal.SIGINT, on)
leader = os.getpgrp() == os.getpid()
log.write(f"start group-leader={leader} argv={sys.argv[1:]} stdin={sys.stdin.read()!r}\\n"); log.flush()
while not os.path.exists(os.environ["TRIAL_GO"]):
    time.sleep(0.01)
log.write("done\\n"); log.flush()
"""


def _exc(fn) -> dict:
    try:
        fn()
    except BaseException as e:  # noqa: BLE001
        return {"type": f"{type(e).__module__}.{type(e).__qualname__}", "message": str(e)}
    return {"type": None}


def _signature(obj) -> list:
    sig = inspect.signature(obj)
    return [[p.name, p.kind.name, repr(p.default) if p.default is not p.empty else "<empty>"] for p in sig.parameters.values()]


# --- _set_sweep_state ---------------------------------------------------------------------


class _FakeService:
    """A GraphQL service that knows one sweep, ``abc``, in ``state`` (None: no such sweep)."""

    def __init__(self, state: str | None) -> None:
        self.state = state
        self.mutations: list[str] = []

    def execute_graphql(self, query, variables=None, **kwargs):
        if "upsertSweep" in query:
            self.mutations.append(variables["state"])
            return {"upsertSweep": {"sweep": {"name": "abc"}}}
        if self.state is None or variables.get("sweep") != "abc":
            return {"project": None}
        return {"project": {"sweep": {"id": "U3dlZXA6YWJj", "name": "abc", "state": self.state, "config": "{}",
                                      "runs": {"edges": []}}}}


class _FakeApi:
    def __init__(self, service) -> None:
        self.settings = {"entity": None, "project": None}
        self._service_api = service


def _set_state_fact(current: str | None, target: str, sweep: str, entity, project) -> list:
    if IS_MOCK:
        from wandb import _store
        from wandb.apis import public

        with tempfile.TemporaryDirectory() as d:
            os.environ["WANDB_DIR"] = d
            if current is not None:
                _store.create_sweep("e", "p", {"method": "grid"}, lambda n: "abc")
                _store.set_sweep_state("abc", current)
            raised = _exc(lambda: public._set_sweep_state(public.Api(), sweep, target, entity=entity, project=project))
            row = _store.get_sweep("abc")
            applied = row is not None and row["state"] == target and current != target
            for conn in _store._connections.values():
                conn.close()
            _store._connections.clear()
        return [raised, applied]
    from wandb.apis.public.sweeps import _set_sweep_state

    service = _FakeService(current)
    raised = _exc(lambda: _set_sweep_state(_FakeApi(service), sweep, target, entity=entity, project=project))
    return [raised, service.mutations == [target] and current != target]


# --- wandb sweep --<state> ----------------------------------------------------------------


def _cli_state(args: list[str]) -> list:
    calls: list = []

    def record(api, sweep, state, *, entity=None, project=None):
        calls.append([sweep, state, entity, project])

    buf = io.StringIO()
    if IS_MOCK:
        from wandb.apis import public
        from wandb.cli import main

        saved = public._set_sweep_state
        public._set_sweep_state = record
        try:
            with contextlib.redirect_stderr(buf):
                raised = _exc(lambda: main(["sweep", *args]))
        finally:
            public._set_sweep_state = saved
    else:
        import wandb.apis.public.sweeps as sweeps_module
        from wandb.cli import cli as cli_module

        saved, saved_api = sweeps_module._set_sweep_state, wandb.Api
        sweeps_module._set_sweep_state = record
        wandb.Api = lambda *a, **k: None  # the command only hands it on
        try:
            with contextlib.redirect_stderr(buf):
                raised = _exc(lambda: cli_module.sweep.main(args=args, standalone_mode=False, prog_name="wandb sweep"))
        finally:
            sweeps_module._set_sweep_state, wandb.Api = saved, saved_api
    if raised["type"] is None or raised["type"].endswith("SystemExit"):
        raised = {"type": None}
    return [buf.getvalue(), calls, raised]


# --- the CLI agent with a scripted server -----------------------------------------------------


class _Scenario:
    """One agent run: a script of server answers and a controller thread."""

    def __init__(self, folder: str, name: str) -> None:
        self.log = os.path.join(folder, f"{name}.log")
        self.go = os.path.join(folder, f"{name}.go")
        self.stderr = io.StringIO()
        self.popens: list[subprocess.Popen] = []
        self.heartbeats = 0
        self.idle = 0

    def lines(self) -> list[str]:
        return open(self.log).read().splitlines() if os.path.exists(self.log) else []

    def started(self) -> bool:
        return any(line.startswith("start") for line in self.lines())

    def wait(self, predicate, what: str) -> None:
        deadline = time.monotonic() + EVENT_TIMEOUT
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            time.sleep(0.01)


RUN = {"type": "run", "run_id": "trial001", "program": "trial.py", "args": {"lr": {"value": 0.1}}}


def _answers(name: str, s: _Scenario, running: list[str]) -> list[dict]:
    """What the server answers to the agent's n-th heartbeat, by scenario."""
    n = s.heartbeats
    s.heartbeats += 1
    if name == "paused":
        return [] if n < 5 else [{"type": "exit"}]
    if n == 0:
        return [dict(RUN)]
    if name == "finish-then-paused":  # the trial ends; the next answers are "nothing", then exit
        if running or not os.path.exists(s.go):
            return []
        s.idle += 1
        return [] if s.idle < 3 else [{"type": "exit"}]
    if name == "exit-while-running":
        return [{"type": "exit"}] if s.started() else []
    if name == "stop":
        if running:
            return [{"type": "stop", "run_id": "trial001"}] if s.started() else []
        return [{"type": "exit"}]
    return []  # signal scenarios: the controller acts


def _controller(name: str, s: _Scenario) -> None:
    s.wait(s.started, "the trial to start")
    if name == "finish-then-paused":
        open(s.go, "w").close()
    elif name in ("forwarded-sigterm", "term-timeout"):
        os.kill(os.getpid(), signal.SIGTERM)
    elif name == "sigint-to-group":
        os.killpg(os.getpgrp(), signal.SIGINT)  # like Ctrl+C in a terminal (this probe has its own group)
        s.wait(lambda: "received" in s.stderr.getvalue(), "the agent to report the signal")
        open(s.go, "w").close()


def _run_agent(name: str, folder: str, forward_signals: bool = False, term_timeout: int | None = None) -> dict:
    s = _Scenario(folder, name)
    os.environ.update(TRIAL_LOG=s.log, TRIAL_GO=s.go, WANDB_SWEEP_ID="abc")
    if name == "term-timeout":
        os.environ["TRIAL_IGNORE"] = "1"
    real_popen = subprocess.Popen

    class RecordingPopen(real_popen):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            s.popens.append(self)

    handlers = {}
    for signum in signal.valid_signals() - {signal.SIGKILL, signal.SIGSTOP}:
        with contextlib.suppress(OSError, ValueError):
            handlers[signum] = signal.getsignal(signum)
    subprocess.Popen = RecordingPopen  # type: ignore[misc]
    controller = threading.Thread(target=_controller, args=(name, s), daemon=True)
    raised: dict = {"type": None}
    try:
        with contextlib.redirect_stderr(s.stderr):
            if name != "paused":
                controller.start()
            raised = _exc(lambda: _agent(name, s, forward_signals, term_timeout))
    finally:
        subprocess.Popen = real_popen  # type: ignore[misc]
        for signum, handler in handlers.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(signum, handler)
        os.environ.pop("TRIAL_IGNORE", None)
        open(s.go, "w").close()  # a trial left waiting ends
    codes = [p.wait(timeout=EVENT_TIMEOUT) for p in s.popens]
    output = [
        line for line in s.stderr.getvalue().splitlines()
        if not line.startswith(("wandb: Agent Starting Run:", "wandb: \t"))
    ]
    if name == "exit-while-running":
        # The real agent may print this line, or not, depending on whether the killed
        # trial has already disappeared when it looks.
        output = [line for line in output if "Terminating and syncing runs" not in line]
    return {"raised": raised, "stderr": output, "returncodes": codes, "trial": s.lines()}


def _agent(name: str, s: _Scenario, forward_signals: bool, term_timeout: int | None) -> None:
    if IS_MOCK:
        from wandb import _agent as agent_module

        class ScriptedServer:
            def __init__(self, sweep, launched_by):
                pass

            def heartbeat(self, running):
                return _answers(name, s, list(running))

            def exited(self):
                pass

        saved = agent_module._Server
        agent_module._Server = ScriptedServer
        try:
            agent = agent_module._CliAgent(
                {"id": "abc", "config": {"program": "trial.py"}}, None, None, forward_signals, term_timeout
            )
            agent.run()
        finally:
            agent_module._Server = saved
        return
    import multiprocessing

    from wandb import wandb_agent

    class Service:
        def execute_graphql(self, query, variables=None, **kwargs):
            if "SweepWithRuns" in query:
                return {"project": {"sweep": {"id": "S", "name": "abc", "state": "RUNNING",
                                              "config": "program: trial.py\n", "runs": {"edges": []}}}}
            if "CreateAgent" in query:
                return {"createAgent": {"agent": {"id": "A"}}}
            if "Heartbeat" in query:
                running = list(json.loads(variables["runState"]))
                return {"agentHeartbeat": {"commands": json.dumps(_answers(name, s, running))}}
            raise AssertionError(query)

    api = _FakeApi(Service())
    saved_api, saved_poll = wandb.Api, wandb_agent.Agent.POLL_INTERVAL
    wandb.Api = lambda *a, **k: api  # the agent makes a new Api() after each trial
    wandb_agent.Agent.POLL_INTERVAL = 0.05
    try:
        agent = wandb_agent.Agent(
            api, multiprocessing.Queue(), sweep_id="abc", in_jupyter=False,
            forward_signals=forward_signals, term_timeout=term_timeout,
        )
        agent.run()
    finally:
        wandb.Api, wandb_agent.Agent.POLL_INTERVAL = saved_api, saved_poll


# --- the function agent with a scripted server ------------------------------------------------


class _FastQueue:
    """pyagent's job queue, with its 5-second timeout made 0.05 s."""

    def __init__(self) -> None:
        import queue

        self._queue = queue.Queue()

    def put(self, item) -> None:
        self._queue.put(item)

    def get(self, block: bool = True, timeout: float | None = None):
        return self._queue.get(block, None if timeout is None else min(timeout, 0.05))


def _run_function_agent(name: str, folder: str) -> dict:
    s = _Scenario(folder, name)
    seen: dict = {}

    def function() -> None:
        with open(s.log, "a") as log:
            log.write("start\n")
        try:
            while True:  # Python code, where the agent's asynchronous exception lands
                time.sleep(0.01)
        except BaseException as e:
            seen["raised"] = [type(e).__qualname__, [str(a) for a in e.args]]
            raise

    with contextlib.redirect_stderr(s.stderr):
        raised = _exc(lambda: _function_agent(name, s, function))
    # Traceback frames name each SDK's own files: keep the lines that are not frames.
    output = [line for line in s.stderr.getvalue().splitlines() if not line.startswith("  ")]
    return {"raised": raised, "function got": seen.get("raised"), "stderr": output}


def _function_agent(name: str, s: _Scenario, function) -> None:
    answer = "stop" if name == "function-stop" else "exit-while-running"
    if IS_MOCK:
        from wandb import _agent as agent_module

        class ScriptedServer:
            def __init__(self, sweep, launched_by):
                pass

            def heartbeat(self, running):
                return _answers(answer, s, list(running))

            def exited(self):
                pass

        saved = agent_module._Server, agent_module._resolve
        agent_module._Server = ScriptedServer
        agent_module._resolve = lambda *a: ({"id": "abc", "config": {}}, "abc")
        try:
            agent_module._FunctionAgent("abc", function, None, None, None, None).run()
        finally:
            agent_module._Server, agent_module._resolve = saved
        return
    import types

    from wandb.agents import pyagent

    class Service:
        def execute_graphql(self, query, variables=None, **kwargs):
            if "CreateAgent" in query:
                return {"createAgent": {"agent": {"id": "A"}}}
            if "Heartbeat" in query:
                running = list(json.loads(variables["runState"]))
                return {"agentHeartbeat": {"commands": json.dumps(_answers(answer, s, running))}}
            raise AssertionError(query)

    api = _FakeApi(Service())
    saved = wandb.Api, pyagent.Agent.HEARTBEAT_SLEEP_SECONDS, pyagent.queue, pyagent.time
    wandb.Api = lambda *a, **k: api  # the agent makes a new Api() for each trial
    pyagent.Agent.HEARTBEAT_SLEEP_SECONDS = 0.05
    pyagent.queue = types.SimpleNamespace(Queue=_FastQueue, Empty=pyagent.queue.Empty)
    pyagent.time = types.SimpleNamespace(time=time.time, sleep=lambda seconds: time.sleep(min(seconds, 0.05)))
    try:
        pyagent.pyagent("abc", function)
    finally:
        wandb.Api, pyagent.Agent.HEARTBEAT_SLEEP_SECONDS, pyagent.queue, pyagent.time = saved


def facts() -> dict:
    f: dict = {}
    f["signature Run.mark_preempting"] = _signature(wandb.Run.mark_preempting)
    f["signature wandb.mark_preempting"] = _signature(wandb.mark_preempting)
    f["mark_preempting before init"] = _exc(lambda: wandb.mark_preempting())
    run = wandb.init(project="probe")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        f["mark_preempting"] = _exc(run.mark_preempting)
    f["mark_preempting prints"] = err.getvalue()
    f["wandb.mark_preempting is the run's"] = wandb.mark_preempting == run.mark_preempting
    run.finish()
    after = _exc(run.mark_preempting)
    after["message"] = after.get("message", "").replace(run.id, "<id>")
    f["mark_preempting after finish"] = after
    f["wandb.mark_preempting after finish"] = _exc(lambda: wandb.mark_preempting())["type"]

    for current in ("RUNNING", "PAUSED", "FINISHED", "CANCELED"):
        for target in ("RUNNING", "PAUSED", "FINISHED", "CANCELED"):
            f[f"set state {current} -> {target}"] = _set_state_fact(current, target, "abc", "e", "p")
    f["set state unknown"] = _set_state_fact(None, "PAUSED", "nope", "e", "p")
    f["set state unknown, no entity"] = _set_state_fact(None, "PAUSED", "nope", None, None)

    for args in (["--pause", "e/p/abc"], ["--resume", "abc"], ["--stop", "-e", "ent", "-p", "proj", "abc"],
                 ["--cancel", "p/abc"], ["--stop", "--cancel", "abc"], ["--pause", "a/b/c/d"]):
        f[f"cli sweep {' '.join(args)}"] = _cli_state(args)

    wandb_agent = importlib.import_module("wandb._agent" if IS_MOCK else "wandb.wandb_agent")
    f["agent kill delay"] = getattr(wandb_agent, "KILL_DELAY", None) or wandb_agent.Agent.KILL_DELAY
    f["agent terminating signals"] = sorted(int(s) for s in wandb_agent._TERMINATING_SIGNALS)
    f["agent termination tiers"] = [(t.name, int(t)) for t in wandb_agent.TerminationTier]
    with tempfile.TemporaryDirectory() as folder:
        os.environ["WANDB_DIR"] = folder
        os.chdir(folder)
        with open("trial.py", "w") as fp:
            fp.write(TRIAL)
        for name, options in [
            ("paused", {}),
            ("finish-then-paused", {}),
            ("exit-while-running", {}),
            ("stop", {}),
            ("forwarded-sigterm", {"forward_signals": True}),
            ("sigint-to-group", {}),
            ("term-timeout", {"forward_signals": True, "term_timeout": 1}),
        ]:
            f[f"agent {name}"] = _run_agent(name, folder, **options)
        for name in ("function-stop", "function-exit-while-running"):
            f[f"agent {name}"] = _run_function_agent(name, folder)
    return f


def main() -> None:
    result: dict = {}
    try:
        result["facts"] = facts()
    except BaseException:  # noqa: BLE001
        result["facts_error"] = traceback.format_exc()
    sys.stdout.write("\n@@FACTS@@" + json.dumps(result, default=repr) + "\n")
    sys.stdout.flush()
    with contextlib.suppress(Exception):
        wandb.teardown()


if __name__ == "__main__":
    main()
