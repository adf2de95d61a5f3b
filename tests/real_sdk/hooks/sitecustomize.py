"""Imported first by every Python process that `nox -s real-sdk` starts, on both sides
(the mock's environment and the real wandb's): this folder is first on PYTHONPATH.

Always:

- sockets: the rules of tests/no_network (no connection to any host; Unix sockets, which
  the real SDK uses to talk to its own service process, stay allowed);
- the listing's own process (DOCS_REAL_MAIN=1, not inherited by its children) seeds
  `random` with 0 at start, as tests/harness.py does for every example;
- a `wandb.Api()` or `wandb.controller()` called by the listing's own code (a file in the
  listing's folder), or a `wandb` command it starts, ends the program there, with exit
  status 0, on both sides: they need the W&B server, so a listing is compared up to that
  line ("cut off"), and the cut is recorded.

Mock side (DOCS_REAL_RECORD set, DOCS_REAL_PLAN not): records, as JSON lines in
DOCS_REAL_RECORD, what the mock did where the real SDK would ask the W&B server: each
sweep it created or refused (id, entity, project, stored config, schema warnings), each
agent call and the trials it proposed, the command its CLI agent built for each trial,
and the seed it gave `random` at each `wandb.init()`. Every agent stops after
DOCS_REAL_TRIALS trials.

Real side (DOCS_REAL_PLAN set): the mock is the server. `wandb.Api()` called from inside
the real SDK (its `wandb.sweep` and `wandb.agent` code) returns ServerApi, which answers the
SDK's GraphQL requests with what the mock recorded (the same sweep id and warnings); the
real `wandb.agent(function=...)` runs the mock's proposals through the real agent's own
trial code (see _drive_function_agent); after each `wandb.init()` `random` gets the seed the
mock gave its run (the mock's deliberate WANDB_MOCK_SEED difference, replayed). What the
real side did is recorded in DOCS_REAL_RECORD too.
"""

import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
_no_network = os.path.join(os.path.dirname(os.path.dirname(_here)), "no_network", "sitecustomize.py")
with open(_no_network, encoding="utf-8") as _f:
    exec(compile(_f.read(), _no_network, "exec"))

MAIN = False
RECORD = None
PLAN = None


def begin():
    """Read this process's role from its environment; called at start-up, and again by
    forkserver.py in each child it forks (with wandb already imported there)."""
    global MAIN, RECORD, PLAN
    MAIN = os.environ.pop("DOCS_REAL_MAIN", None) == "1"
    RECORD = os.environ.get("DOCS_REAL_RECORD")
    PLAN = os.environ.get("DOCS_REAL_PLAN")
    if MAIN:
        import random

        random.seed(0)
    if not RECORD:
        return
    wandb = sys.modules.get("wandb")
    if wandb is not None:
        (_patch_real if PLAN else _patch_mock)(wandb)
    else:
        sys.meta_path.insert(0, _AfterImport())


def _record(event, **data):
    import json

    line = json.dumps({"event": event, "pid": os.getpid(), "main": MAIN, **data}, default=str)
    with open(RECORD, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def _in_listing(frame):
    """Whether a frame runs code of a file in the listing's folder (the listing's own code)."""
    name = os.path.abspath(frame.f_code.co_filename)
    folder = os.environ.get("WANDB_DIR") or os.getcwd()
    return name.startswith(os.path.join(folder, ""))


def _cut_off(what, frame=None):
    """End the program where it needs the W&B server (recorded with the listing's line)."""
    frame = frame or sys._getframe(1)
    while frame is not None and not _in_listing(frame):
        frame = frame.f_back
    where = {"file": os.path.basename(frame.f_code.co_filename), "line": frame.f_lineno} if frame else {}
    _record("cutoff", what=what, **where)
    sys.stdout.flush()
    sys.stderr.flush()
    raise SystemExit(0)


# --- after `import wandb` --------------------------------------------------------------------
class _AfterImport:
    """A meta path finder that patches the `wandb` package once it is imported."""

    def find_spec(self, name, path=None, target=None):
        if name != "wandb":
            return None
        import importlib.util

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            exec_module = spec.loader.exec_module

            def exec_and_patch(module):
                exec_module(module)
                (_patch_real if PLAN else _patch_mock)(module)

            spec.loader.exec_module = exec_and_patch
        return spec


def _api_gate(server_api):
    def Api(*args, **kwargs):  # noqa: N802  (replaces the class wandb.Api)
        caller = sys._getframe(1)
        if _in_listing(caller):
            _cut_off("wandb.Api()", caller)
        return server_api(*args, **kwargs)

    return Api


def _server_gates(wandb):
    """Both sides: the listing's own code stops where it starts a sweep's controller
    (wandb.controller(), which reads and steps the sweep on the W&B server) or a `wandb`
    command (`wandb agent`, `wandb sweep`...: the real ones need the server first)."""
    import subprocess

    controller = wandb.controller

    def gated_controller(*args, **kwargs):
        caller = sys._getframe(1)
        if _in_listing(caller):
            _cut_off("wandb.controller()", caller)
        return controller(*args, **kwargs)

    wandb.controller = gated_controller
    popen_init = subprocess.Popen.__init__

    def gated_popen_init(self, args, *rest, **kwargs):
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename == subprocess.__file__:
            frame = frame.f_back  # subprocess.run() and the like
        argv = [args] if isinstance(args, (str, bytes, os.PathLike)) else list(args)
        command = os.path.basename(str(argv[0]).split()[0]) if argv else ""
        if frame is not None and _in_listing(frame) and command == "wandb":
            _cut_off(f"the command `wandb {argv[1] if len(argv) > 1 else ''}`", frame)
        popen_init(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = gated_popen_init


# --- mock side -------------------------------------------------------------------------------
def _patch_mock(wandb):
    import random

    from wandb import _agent, _command, _engine, _init, _store, _sweep
    from wandb.apis.public import Api as MockApi

    trials = int(os.environ["DOCS_REAL_TRIALS"])
    wandb.Api = _api_gate(MockApi)
    _server_gates(wandb)

    seed_rngs = _init._seed_global_rngs

    def seed_global_rngs(run_id):
        seeds = []
        random_seed = random.seed
        random.seed = lambda a=None, version=2: (seeds.append(a), random_seed(a, version))[1]
        try:
            seed_rngs(run_id)
        finally:
            random.seed = random_seed
        _record("rng", run_id=run_id, seed=seeds[0] if seeds else None)

    _init._seed_global_rngs = seed_global_rngs

    # Sweeps: what the server would answer (id, warnings) or its refusal.
    last = {}
    schema_violations, check_runnable = _engine.schema_violations, _engine.check_runnable

    def violations(config):
        last["warnings"] = list(schema_violations(config))
        return last["warnings"]

    def runnable(config):
        try:
            return check_runnable(config)
        except Exception:
            last["refused_by"] = "server"
            raise

    _engine.schema_violations, _engine.check_runnable = violations, runnable
    upsert_sweep = _sweep.upsert_sweep

    def upsert(config, entity, project):
        last.clear()
        try:
            sweep_id = upsert_sweep(config, entity, project)
        except BaseException as e:
            _record("sweep", error=f"{type(e).__name__}: {e}", refused_by=last.get("refused_by", "client"))
            raise
        row = _store.get_sweep(sweep_id)
        _record(
            "sweep", id=sweep_id, entity=row["entity"], project=row["project"], config=row["config"],
            warnings=last.get("warnings", []),
        )
        return sweep_id

    _sweep.upsert_sweep = upsert

    # Agents: at most `trials` trials each; record the proposals and the commands built.
    function_agent, cli_agent = _agent._function_agent, _agent.run_cli_agent

    def capped(count):
        return trials if not count else min(count, trials)

    def run_function_agent(sweep_path, function, entity, project, count, max_consecutive_failed_runs):
        _record("agent", kind="function", sweep=sweep_path, count=count)
        return function_agent(sweep_path, function, entity, project, capped(count), max_consecutive_failed_runs)

    def run_cli_agent(sweep_path, entity=None, project=None, count=None, max_consecutive_failed_runs=None):
        _record("agent", kind="cli", sweep=sweep_path, count=count)
        return cli_agent(sweep_path, entity, project, capped(count), max_consecutive_failed_runs)

    _agent._function_agent, _agent.run_cli_agent = run_function_agent, run_cli_agent
    announce, build_command = _agent._announce, _command.build_command

    def record_announce(run_id, params):
        _record("job", run_id=run_id, params=params)
        return announce(run_id, params)

    def record_command(*args, **kwargs):
        command = build_command(*args, **kwargs)
        _record("command", command=list(command), interpreter=sys.executable)
        return command

    _agent._announce, _command.build_command = record_announce, record_command


# --- real side -------------------------------------------------------------------------------
def _plan():
    import json

    with open(PLAN, encoding="utf-8") as f:
        return json.load(f)


def _patch_real(wandb):
    plan = _plan()
    wandb.Api = _api_gate(lambda *args, **kwargs: ServerApi(plan, *args, **kwargs))
    _server_gates(wandb)

    init = wandb.init
    main_runs = iter(plan.get("main_runs", []))

    def seeded_init(*args, **kwargs):
        run = init(*args, **kwargs)
        mock_id = run.id if run.id in plan["seeds"] else next(main_runs, None)
        seed = plan["seeds"].get(mock_id)
        if seed is not None:  # what the mock's wandb.init does with WANDB_MOCK_SEED (wandb/_init.py)
            import random

            random.seed(seed)
            numpy = sys.modules.get("numpy")
            if numpy is not None:
                numpy.random.seed(seed)
        _record("init", run_id=run.id, mock_id=mock_id)
        return run

    wandb.init = seeded_init

    agent = wandb.agent

    def agent_with_driver(*args, **kwargs):
        from wandb.agents import pyagent

        if pyagent.Agent.run is not _drive_function_agent:
            pyagent.Agent.run = _drive_function_agent
            pyagent.Agent._docs_plan_calls = iter(plan.get("agent_calls", []))
        return agent(*args, **kwargs)

    wandb.agent = agent_with_driver


class ServerApi:
    """The W&B server as the real SDK reaches it through `wandb.Api()` from its own code
    (`wandb.sweep`, `wandb.agent`): its `settings` are computed as in the real Api.__init__
    (no credentials, no connection), and its GraphQL requests are answered from what the
    mock did with the same call: UpsertSweep gets the mock's sweep id, entity, project and
    schema warnings; CreateAgent an agent id. Any other request, or a sweep the mock's
    server side refused, cuts the program off there (recorded: not comparable)."""

    _sweeps = None

    def __init__(self, plan, overrides=None, timeout=None, api_key=None):
        from wandb import env
        from wandb.sdk import wandb_setup

        global_settings = wandb_setup.singleton().settings
        self.settings = {
            "base_url": env.get_base_url(global_settings.base_url),
            "entity": env.get_entity(global_settings.entity),
            "project": env.get_project(global_settings.project),
            "organization": env.get_organization(global_settings.organization),
        }
        self.settings.update(overrides or {})
        self.settings["base_url"] = self.settings["base_url"].rstrip("/")
        if ServerApi._sweeps is None:
            ServerApi._sweeps = iter(plan.get("sweeps", []))
        self._service_api = self

    @property
    def default_entity(self):
        _cut_off("the server's default entity")

    def execute_graphql(self, query, variables=None):
        import re

        operation = re.search(r"(?:mutation|query)\s+(\w+)", query)
        operation = operation[1] if operation else "?"
        if operation == "UpsertSweep":
            return self._upsert_sweep(variables)
        if operation == "CreateAgent":
            return {"createAgent": {"agent": {"id": "agent"}}}
        _cut_off(f"GraphQL {operation}")

    def _upsert_sweep(self, variables):
        import yaml

        mock = next(ServerApi._sweeps, None)
        sent = {
            "config": yaml.safe_load(variables["config"]),
            "entity": variables.get("entityName"),
            "project": variables.get("projectName"),
        }
        _record("sweep-request", sent=sent, mock=mock)
        if mock is None:
            _cut_off("a sweep the mock never created")
        if "error" in mock:
            # The client-side checks passed; the mock refused it as the server would.
            _cut_off(f"the server's answer to UpsertSweep ({mock['error']})")
        entity = {"name": mock["entity"]}
        project = {"name": mock["project"], "entity": entity}
        return {"upsertSweep": {"sweep": {"name": mock["id"], "project": project}, "configValidationWarnings": mock["warnings"]}}


def _drive_function_agent(self):
    """Replaces wandb.agents.pyagent.Agent.run (0.31) for `wandb.agent(sweep_id, function=...)`.

    Reproduced, by calling the real Agent's own methods: `_setup` (sweep-path parsing and its
    error line, WANDB_SWEEP_ID / entity / project exported, the agent registered with the
    server, here ServerApi); for every trial `_run_job` in a thread of its own, which writes
    the parameter file (config_util.save_config_file_from_dict), exports WANDB_RUN_ID,
    WANDB_SWEEP_PARAM_PATH and WANDB_SWEEP_ID, calls wandb.teardown(), prints "Agent Starting
    Run: ..." and the parameters, calls the function, prints the traceback of an exception
    and finishes the run (exit code 1 if it failed); `_handle_errored_run` (the "Run ...
    errored" line and the stop rules); the `count` rule; `_teardown_last_job_session`; and
    `pyagent.is_running()` being true meanwhile, as `_run_jobs_from_queue` makes it.

    Not reproduced: the server conversation (`_heartbeat` asking for commands every
    HEARTBEAT_SLEEP_SECONDS): the trials are the ones the mock's agent proposed for the same
    call of wandb.agent, in its order, and the agent stops after them; hence also not the
    queue's pacing lines ("Sweep Agent: Waiting for job.", "Sweep Agent: Exiting.", printed
    after 5 s waits when the server says there is nothing left), nor "stop" commands.
    """
    import threading

    import wandb
    from wandb.agents import pyagent

    jobs = next(type(self)._docs_plan_calls, None)
    _record("agent-call", sweep=self._sweep_path, count=self._count, jobs=None if jobs is None else [j["run_id"] for j in jobs])
    try:
        self._setup()
        if self._sweep_id is None:
            return
        if jobs is None:
            _cut_off("wandb.agent: a call the mock never made")
        pyagent._INSTANCES += 1
        try:
            count = 0
            for proposal in jobs:
                if self._exit_flag:
                    return
                job = pyagent.Job({"type": "run", "run_id": proposal["run_id"], "args": proposal["params"]})
                run_id = job.run_id
                self._run_status[run_id] = pyagent.RunStatus.QUEUED
                count += 1
                thread = threading.Thread(target=self._run_job, args=(job,))
                self._run_threads[run_id] = thread
                self._run_done[run_id] = threading.Event()
                self._run_status[run_id] = pyagent.RunStatus.RUNNING
                thread.start()
                self._run_done[run_id].wait()
                thread.join()
                del self._run_done[run_id]
                _record("trial", run_id=run_id, status=self._run_status[run_id])
                if self._run_status[run_id] == pyagent.RunStatus.RUNNING:
                    self._run_status[run_id] = pyagent.RunStatus.DONE
                    self._consecutive_failed_runs = 0
                elif self._run_status[run_id] == pyagent.RunStatus.ERRORED:
                    if self._handle_errored_run(run_id, count):
                        self._exit_flag = True
                        return
                if self._count and self._count == count:
                    self._exit_flag = True
                    return
        finally:
            pyagent._INSTANCES -= 1
    finally:
        os.environ.pop(wandb.env.SWEEP_ID, None)
        self._teardown_last_job_session()


begin()
