"""Collect comparable facts from whichever ``wandb`` this interpreter imports.

Run by test_conformance.py twice: once against the real wandb 0.31 (installed
in the session's environment) and once against the reference mock
(``PYTHONPATH=tests/mock_wandb/src`` puts it first).  Prints one JSON object:
``{"signatures": {...}, "facts": {...}}``.  Side-specific code is limited to
where the two packages keep a helper under a different module path.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import inspect
import io
import json
import os
import sys
import tempfile
import traceback

import wandb

IS_MOCK = hasattr(wandb, "_store") or importlib.util.find_spec("wandb._store") is not None

SIGNATURE_TARGETS = [
    "wandb.init",
    "wandb.log",
    "wandb.finish",
    "wandb.teardown",
    "wandb.login",
    "wandb.sweep",
    "wandb.agent",
    "wandb.Run.log",
    "wandb.Run.finish",
    "wandb.Run.define_metric",
    "wandb.Run.__enter__",
    "wandb.Run.__exit__",
    "wandb.Api.__init__",
    "wandb.Api.sweep",
    "wandb.Api.run",
    "wandb.Api.runs",
    "wandb.sdk.wandb_config.Config.update",
    "wandb.sdk.wandb_config.Config.setdefaults",
    "wandb.sdk.wandb_config.Config.keys",
    "wandb.sdk.wandb_config.Config.items",
    "wandb.sdk.wandb_config.Config.as_dict",
    "wandb.sdk.wandb_config.Config.get",
    "wandb.sdk.wandb_config.Config.persist",
    "wandb.sdk.wandb_config.Config.__getitem__",
    "wandb.sdk.wandb_config.Config.__setitem__",
    "wandb.sdk.wandb_config.Config.__getattr__",
    "wandb.sdk.wandb_config.Config.__contains__",
    "wandb.sdk.wandb_config.Config.update_locked",
    "wandb.sdk.wandb_config.Config.merge_locked",
    "wandb.apis.public.Sweep.best_run",
    "wandb.apis.public.Run.history",
    "wandb.apis.public.Run.scan_history",
    "wandb.errors.Error.__init__",
    "wandb.errors.CommError.__init__",
    "wandb.helper.parse_config",
    "wandb.sdk.wandb_metric.Metric.__init__",
    "wandb.Histogram.__init__",
    "wandb.Histogram.to_json",
    "wandb.controller",
    "wandb.wandb_controller._WandbController.__init__",
    "wandb.wandb_controller._WandbController.configure_search",
    "wandb.wandb_controller._WandbController.configure_stopping",
    "wandb.wandb_controller._WandbController.configure_metric",
    "wandb.wandb_controller._WandbController.configure_program",
    "wandb.wandb_controller._WandbController.configure_name",
    "wandb.wandb_controller._WandbController.configure_description",
    "wandb.wandb_controller._WandbController.configure_parameter",
    "wandb.wandb_controller._WandbController.configure_controller",
    "wandb.wandb_controller._WandbController.configure",
    "wandb.wandb_controller._WandbController.create",
    "wandb.wandb_controller._WandbController.run",
    "wandb.wandb_controller._WandbController.step",
    "wandb.wandb_controller._WandbController.done",
    "wandb.wandb_controller._WandbController.search",
    "wandb.wandb_controller._WandbController.stopping",
    "wandb.wandb_controller._WandbController.schedule",
    "wandb.wandb_controller._WandbController.stop_runs",
    "wandb.wandb_controller._WandbController.print_status",
    "wandb.wandb_controller._WandbController.print_actions",
    "wandb.wandb_controller._WandbController.print_debug",
    "wandb.wandb_controller._WandbController.print_space",
    "wandb.wandb_controller._WandbController.print_summary",
]


def _resolve(dotted: str):
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def _default(value):
    if value is inspect.Parameter.empty:
        return "<empty>"
    if type(value) is object:
        return "<sentinel>"
    if callable(value):
        return f"<callable {getattr(value, '__name__', '?')}>"
    return repr(value)


def signature_facts() -> dict:
    out = {}
    for target in SIGNATURE_TARGETS:
        try:
            sig = inspect.signature(_resolve(target))
        except Exception as e:  # reported, compared like any other fact
            out[target] = {"error": f"{type(e).__name__}: {e}"}
            continue
        out[target] = {
            "params": [
                [p.name, p.kind.name, _default(p.default), str(p.annotation) if p.annotation is not p.empty else None]
                for p in sig.parameters.values()
            ],
            "return": str(sig.return_annotation) if sig.return_annotation is not sig.empty else None,
        }
    return out


def _exc(fn) -> dict:
    try:
        fn()
    except BaseException as e:  # noqa: BLE001
        return {
            "type": f"{type(e).__module__}.{type(e).__qualname__}",
            "message": str(e),
            "context": type(e.__context__).__name__ if e.__context__ is not None else None,
        }
    return {"type": None}


def _stderr_of(fn) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stderr(buf):
        fn()
    return buf.getvalue()


def facts() -> dict:
    f: dict = {}
    f["log before init"] = _exc(lambda: wandb.log({"a": 1}))
    f["config attr before init"] = _exc(lambda: wandb.config.lr)
    f["config item before init"] = _exc(lambda: wandb.config["lr"])
    f["config set before init"] = _exc(lambda: setattr(wandb.config, "lr", 1))
    f["summary item before init"] = _exc(lambda: wandb.summary["x"])

    run = wandb.init(config={"lr": 0.1, "-batch-": 8, "_hidden": 1})
    run_id = run.id
    f["run id shape"] = [len(run_id), run_id.isalnum(), run_id == run_id.lower()]
    f["run is wandb.Run"] = isinstance(run, wandb.Run)
    f["globals wired"] = [wandb.run is run, wandb.config is run.config]
    for name, bad in [("set", {1, 2}), ("list", [1]), ("None", None), ("str", "s"), ("int", 3)]:
        f[f"log {name}"] = _exc(lambda bad=bad: wandb.log(bad))
    f["log non-str key"] = _exc(lambda: wandb.log({1: 2}))
    f["config keys"] = run.config.keys()
    f["config as_dict"] = run.config.as_dict()
    f["config hidden key readable"] = run.config._hidden
    f["config change"] = _exc(lambda: run.config.update({"lr": 0.2}))
    f["config setattr change"] = _exc(lambda: setattr(run.config, "lr", 0.3))
    f["config missing attr"] = _exc(lambda: run.config.nope)
    f["config missing item"] = _exc(lambda: run.config["nope"])
    run.config.update({"lr": 0.2}, allow_val_change=True)
    run.config.setdefaults({"lr": 5, "momentum": 0.9})
    f["config after update/setdefaults"] = run.config.as_dict()
    run.log({"val_loss": {"a": 1, "b": {"c": 2}}})
    run.log({"val_loss": {"b": {"d": 3}}})
    f["nested summary"] = json.loads(json.dumps(dict(run.summary["val_loss"]), default=dict))
    f["nested summary item"] = run.summary["val_loss"]["a"]
    f["login after init"] = [None, _stderr_of(lambda: f.__setitem__("login after init", wandb.login()))]
    reinit_err = _stderr_of(lambda: f.__setitem__("reinit returns previous", wandb.init() is run))
    f["reinit message"] = (
        "wandb.init() called while a run is active and reinit is set to 'default', so returning the previous run."
        in reinit_err
    )
    run.finish()
    f["log after finish"] = _exc(lambda: run.log({"a": 1}))
    f["log after finish"]["message"] = f["log after finish"]["message"].replace(run_id, "<id>")
    f["wandb.log after finish"] = _exc(lambda: wandb.log({"a": 1}))
    f["wandb.run after finish"] = wandb.run is None
    f["finish twice is silent"] = _exc(lambda: run.finish())
    f["login offline"] = [None, _stderr_of(lambda: f.__setitem__("login offline", wandb.login()))]
    f["login offline"][0] = wandb.login.__name__ and f["login offline"][0]

    # Config locking by a sweep (the real class, created directly).
    from wandb.sdk.wandb_config import Config

    def locked():
        c = Config()
        c.merge_locked({"lr": 0.01}, user="sweep", _allow_val_change=True)
        c.update({"lr": 0.5})
        c["lr"] = 0.7
        assert c.lr == 0.01

    f["sweep lock warning"] = _stderr_of(locked)

    # Sweep client-side checks and helpers.
    ambiguous = {"method": "random", "parameters": {"lr": {"min": 0, "max": 0.1}}}
    if IS_MOCK:
        from wandb._command import create_sweep_command, create_sweep_command_args
        from wandb._engine import schema_violations
        from wandb._sweep import handle_sweep_config_violations, parse_sweep_id

        f["ambiguous bounds"] = _exc(lambda: wandb.sweep(ambiguous))
        command_args = lambda params: create_sweep_command_args(params)  # noqa: E731
    else:
        from sweeps import schema_violations_from_proposed_config as schema_violations
        from wandb.apis.public.sweeps import _upsert_sweep
        from wandb.sdk.launch.sweeps.utils import (
            create_sweep_command,
            create_sweep_command_args,
            handle_sweep_config_violations,
            parse_sweep_id,
        )

        f["ambiguous bounds"] = _exc(lambda: _upsert_sweep(object(), ambiguous))
        command_args = lambda params: create_sweep_command_args({"args": params})  # noqa: E731

    for path in ["abc", "p/abc", "e/p/abc", "a/b/c/d", "/abc"]:
        parts = {"entity": None, "project": None, "name": path}
        err = parse_sweep_id(parts)
        f[f"parse sweep id {path}"] = [err, parts]
    configs = {
        "bad goal": {"method": "random", "metric": {"name": "x", "goal": "up"}, "parameters": {"lr": {"values": [1, 2]}}},
        "min >= max": {"method": "random", "parameters": {"lr": {"min": 0.5, "max": 0.1}}},
        "bad method": {"method": "foo", "parameters": {"lr": {"values": [1]}}},
        "no method": {"parameters": {"lr": {"values": [1]}}},
        "bad param": {"method": "random", "parameters": {"lr": {"valuez": [1]}}},
        "probabilities": {"method": "random", "parameters": {"lr": {"values": [1, 2], "probabilities": [0.5, 0.6]}}},
        "log_uniform": {"method": "random", "parameters": {"lr": {"distribution": "log_uniform", "min": 0.1, "max": 1.0}}},
        "valid": {"method": "grid", "metric": {"name": "x"}, "parameters": {"lr": {"values": [1, 2]}}},
    }
    for name, cfg in configs.items():
        violations = schema_violations(cfg)
        f[f"violations {name}"] = violations
        f[f"violation lines {name}"] = _stderr_of(lambda v=list(violations): handle_sweep_config_violations(v))
    params = {"a": {"value": 1}, "b": {"value": True}, "c": {"value": False}, "d": {"value": None}, "e": {"value": 0.01}}
    f["command args"] = command_args(params)
    f["command args"].pop("args_dict", None)
    os.environ["MOCK_CONFORMANCE_VAR"] = "hello"
    f["envvar macro"] = create_sweep_command(["${program}", "--x=${envvar:MOCK_CONFORMANCE_VAR}", "${envvar:MOCK_NOT_SET}"])
    f["default command"] = create_sweep_command(None)

    from wandb.sdk.lib import config_util

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "sub", "config.yaml")
        config_util.save_config_file_from_dict(path, {"lr": {"value": 0.01}, "opt": {"value": "adam"}, "on": {"value": True}})
        f["param file"] = open(path).read()
        f["param file read back"] = config_util.dict_from_config_file(path)
    f["init inside a sweep"] = _init_inside_a_sweep()
    f["deprecated config keys, uncaught W&B error"] = _deprecations_and_uncaught_error()
    f.update(define_metric_facts())
    f.update(histogram_facts())
    f.update(controller_facts())
    f["ConfigError base"] = [c.__name__ for c in config_util.ConfigError.__mro__]
    f["UsageError base"] = [c.__name__ for c in wandb.errors.UsageError.__mro__]
    f["CommError base"] = [c.__name__ for c in wandb.errors.CommError.__mro__]
    return f


def _summary_json(run) -> dict:
    return json.loads(json.dumps({k: v for k, v in run.summary._as_dict().items() if not k.startswith("_")}, default=str))


def define_metric_facts() -> dict:
    """Summaries shaped by define_metric (wandb-core applies them in the real SDK). Values are
    not whole numbers: wandb-core's JSON turns 2.0 into 2 (equal in Python anyway)."""
    f: dict = {}
    run = wandb.init(reinit="finish_previous")
    for name, ops in [("a", "min"), ("b", "max"), ("c", "mean"), ("d", "last"), ("e", "first"),
                      ("g", "min,max"), ("h", "none,min"), ("val_*", "MAX")]:
        run.define_metric(name, summary=ops)
    run.define_metric("val_acc", summary="min")  # the exact name wins over the glob
    f["define_metric copy warning"] = _stderr_of(lambda: run.define_metric("k", summary="copy"))
    run.define_metric("m", summary="min")
    run.define_metric("m", summary="max")  # adds to the first call
    run.define_metric("o", summary="min")
    run.define_metric("o", summary="max", overwrite=True)  # replaces it
    run.define_metric("u", summary="min")
    run.define_metric("s", step_metric="step_x")
    run.define_metric("t", step_metric="step_y", step_sync=False)
    run.log({"early": 0.25})
    run.define_metric("early", summary="min")  # counts values logged before the call
    for v in [3.5, 1.5, 2.5]:
        run.log({k: v for k in ["a", "b", "c", "d", "e", "g", "h", "val_loss", "val_acc", "k", "m", "o", "u", "early"]})
    run.summary["u"] = 9.5  # the user takes the key over
    run.log({"u": 0.5, "s": 1.5, "t": 1.5, "c": "text", "n": {"x": 1.5}})
    f["define_metric summary"] = _summary_json(run)
    m = run.define_metric("z", summary="min,max", hidden=True)
    f["define_metric returns"] = [type(m).__module__, type(m).__name__, m.name, list(m.summary), m.step_metric, m.step_sync, m.hidden]
    m2 = run.define_metric("z2", step_metric=m)
    f["define_metric step_metric from Metric"] = [m2.step_metric, m2.step_sync, m2.summary]
    for label, kwargs in [
        ("empty name", dict(name="")),
        ("glob inside", dict(name="a*b")),
        ("best", dict(name="z", summary="best")),
        ("int summary", dict(name="z", summary=3)),
        ("str hidden", dict(name="z", hidden="yes")),
        ("int name", dict(name=5)),
        ("list step_metric", dict(name="z", step_metric=["x"])),
    ]:
        f[f"define_metric error {label}"] = _exc(lambda kwargs=kwargs: run.define_metric(**kwargs))
    run.finish()
    return f


def histogram_facts() -> dict:
    import numpy as np

    f: dict = {}
    f["histogram default bins"] = wandb.Histogram([0.5, 1.5, 1.5, 2.5]).to_json()
    f["histogram num_bins"] = wandb.Histogram([1, 2, 2, 3, 3, 3], num_bins=3).to_json()
    f["histogram np_histogram"] = wandb.Histogram(np_histogram=np.histogram([1.5, 2.5, 3.5, 4.5], bins=2)).to_json()
    f["histogram lists"] = wandb.Histogram(np_histogram=([1, 2], [0.5, 1.5, 2.5])).to_json()
    f["histogram attrs"] = [wandb.Histogram.MAX_LENGTH, wandb.Histogram._log_type]
    for label, kwargs in [
        ("too many bins", dict(sequence=list(range(600)), num_bins=513)),
        ("bins length", dict(np_histogram=([1, 2], [0, 1]))),
        ("one array", dict(np_histogram=([1, 2],))),
        ("zero bins", dict(sequence=[1.5], num_bins=0)),
    ]:
        f[f"histogram error {label}"] = _exc(lambda kwargs=kwargs: wandb.Histogram(**kwargs))
    run = wandb.init(reinit="finish_previous")
    run.log({"w": wandb.Histogram([1.5, 2.5, 2.5], num_bins=2)})
    run.log({"w": wandb.Histogram([0.25, 0.75], num_bins=2)})
    f["histogram in summary"] = _summary_json(run)["w"]
    run.finish()
    return f


def controller_facts() -> dict:
    """The local controller without a server: its configuration builder, checks and printed
    lines. (The real wandb.controller() verifies an API key with the server first, so
    instances are made without __init__ on both sides.)"""
    from wandb.wandb_controller import ControllerError, _sweep_status, _WandbController

    def bare():
        c = object.__new__(_WandbController)
        c._started = False
        c._create = {}
        c._defer_sweep_creation = True
        c._custom_search = None
        c._custom_stopping = None
        c._program_function = None
        c._log_actions = []
        c._log_debug = []
        c._logged = 0
        c._laststatus = ""
        return c

    f: dict = {}
    c = bare()
    c.configure_search("grid")
    c.configure_program("train.py")
    c.configure_parameter("lr", values=[0.1, 0.01])
    c.configure_parameter("epochs", value=3)
    c.configure_parameter("dropout", min=0.1, max=0.5, distribution="uniform")
    c.configure_parameter("noise", mu=0.0, sigma=1.0, q=0.5, a=1, b=2)
    c.configure_parameter("constant")
    c.configure_metric("loss", goal="minimize")
    c.configure_metric("loss2")
    c.configure_name("n")
    c.configure_description("d")
    c.configure_stopping("hyperband", min_iter=3, eta=2)
    c.configure_controller(type="local")
    c.configure_controller(type="cloud")  # setdefault: the first type stays
    f["controller configured"] = c._create
    f["controller configure twice"] = _exc(lambda: c.configure({"method": "grid"}))
    f["controller program function"] = _exc(lambda: bare().configure_program(print))
    f["controller program type"] = _exc(lambda: bare().configure_program(3))
    f["controller search type"] = _exc(lambda: bare().configure_search(3))
    f["controller stopping type"] = _exc(lambda: bare().configure_stopping(3))
    f["controller configure type"] = _exc(lambda: bare().configure(3))
    y = bare()
    y.configure("method: grid\nparameters:\n  a:\n    values: [1]\n")
    f["controller configure yaml"] = y._create
    f["controller run before create"] = _exc(lambda: bare().run())
    f["controller create unconfigured"] = _exc(lambda: bare().create())
    started = bare()
    started._started = True
    f["controller configure started"] = _exc(lambda: started.configure_name("x"))
    f["controller create started"] = _exc(lambda: started.create())
    f["controller error type"] = [c.__name__ for c in ControllerError.__mro__]
    f["controller validate valid"] = bare()._validate({"method": "grid", "parameters": {"lr": {"values": [1]}}})
    f["controller validate invalid"] = bare()._validate({"method": "foo", "parameters": {"lr": {"valuez": [1]}}})
    f["controller validate run_cap"] = bare()._validate(
        {"method": "grid", "run_cap": 3, "parameters": {"lr": {"values": [1]}}}
    )
    printer = bare()
    printer._log_actions = [("schedule", "lr=0.1,opt=adam"), ("stop", "abc")]
    printer._log_debug = ["lines=['x'] bands=[3]"]
    f["controller print actions"] = _stdout_of(lambda: (printer.print_actions(), printer.print_debug()))
    f["controller print space"] = _stdout_of(lambda: (printer.print_space(), printer.print_summary()))
    from sweeps import SweepRun

    runs = [
        SweepRun(name="a", state="finished"),
        SweepRun(name="b", state="running", shouldStop=True),
        SweepRun(name="c", state="killed", stopped=True),
        SweepRun(name="d", state="pending"),
        SweepRun(name="e", state="failed"),
    ]
    obj = {"name": "sw1", "state": "RUNNING"}
    f["controller status"] = _sweep_status(obj, {"method": "bayes", "early_terminate": {"type": "hyperband"}}, runs)
    f["controller status empty"] = _sweep_status(obj, {"method": "grid"}, [])
    return f


def _stdout_of(fn) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn()
    return buf.getvalue()


def _init_inside_a_sweep() -> list[str]:
    """wandb.init in a process an agent started (its variables set), in a fresh process so
    that the real SDK reads them at setup: id, project and entity are ignored with a
    warning each, the name is kept, the run takes the agent's run id."""
    import subprocess

    code = (
        "import wandb\n"
        "run = wandb.init(id='baseline', name='baseline', project='elsewhere', entity='someone')\n"
        "print('@@', run.id, run.name)\n"
        "run.finish()\n"
    )
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, WANDB_SWEEP_ID="abc12345", WANDB_RUN_ID="runabc12", WANDB_DIR=d)
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=d, env=env, capture_output=True, text=True,
            timeout=120, stdin=subprocess.DEVNULL,
        )
    printed = [line for line in proc.stdout.splitlines() if line.startswith("@@")]
    warned = [line for line in proc.stderr.splitlines() if "Ignoring" in line]
    return [proc.returncode, *printed, *warned]


def _deprecations_and_uncaught_error() -> list:
    """In a fresh process: the deprecation warnings of config_exclude_keys and
    config_include_keys (once each), then an uncaught W&B error after wandb.init(), which the
    real SDK's exit hooks also print as "wandb: ERROR" lines before the traceback (found by
    `nox -s real-sdk`)."""
    import subprocess

    code = (
        "import wandb\n"
        "run = wandb.init(config={'lr': 0.01, 'debug': 1}, config_exclude_keys=['debug'])\n"
        "print('@@', dict(run.config))\n"
        "run.finish()\n"
        "run = wandb.init(config={'lr': 0.01, 'debug': 1}, config_exclude_keys=['debug'])\n"
        "run = wandb.init(config={'lr': 0.01}, config_include_keys=['lr'], reinit='finish_previous')\n"
        "print('@@', wandb.helper.parse_config({'a': 1, 'b': 2}, exclude=('b',)))\n"
        "wandb.config.update({'lr': 0.1})\n"
    )
    with tempfile.TemporaryDirectory() as d:
        # Its own service process, as any program (the real SDK's exit hooks come with it).
        env = {k: v for k, v in os.environ.items() if k != "WANDB_SERVICE"}
        env["WANDB_DIR"] = d
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=d, env=env, capture_output=True, text=True,
            timeout=120, stdin=subprocess.DEVNULL,
        )
    printed = [line for line in proc.stdout.splitlines() if line.startswith("@@")]
    said = [line for line in proc.stderr.splitlines() if line.startswith(("wandb: WARNING", "wandb: ERROR"))]
    return [proc.returncode, *printed, *said, proc.stderr.splitlines()[-1] if proc.stderr else None]


def main() -> None:
    result = {"signatures": signature_facts()}
    try:
        result["facts"] = facts()
    except Exception:
        result["facts_error"] = traceback.format_exc()
    sys.stdout.write("\n@@FACTS@@" + json.dumps(result, default=repr) + "\n")
    sys.stdout.flush()
    # The real SDK's service would otherwise keep the process around.
    with contextlib.suppress(Exception):
        wandb.teardown()


if __name__ == "__main__":
    main()
