"""The local sweep controller: ``wandb.controller()``, ``wandb controller``, ``wandb sweep --controller``.

Mirrors wandb/wandb_controller.py of wandb 0.31: the same class (``_WandbController``),
methods, signatures, messages (``ControllerError``) and printed lines. A sweep whose
configuration says ``controller: {type: local}`` gets its runs from a controller that
runs on the user's machine: at every step it reads the sweep and its runs, asks the
sweep engine (the ``sweeps`` package) for the next run and for the runs to stop early,
and writes its decisions back to the sweep, where agents pick them up.

The real controller reads and writes the sweep on the W&B server (GraphQL), which
creates the runs it proposes, hands them to agents and tells agents to stop runs. The
mock reads and writes the same fields in its store (``_store.py``: ``controller``,
``scheduler``, early stops), and its agents take the proposals from there.

Deliberate differences:

* ``run()`` steps whenever the sweep, its runs or its scheduler change in the store,
  instead of every 5 seconds; the same steps happen, sooner.
* The engine sees nested parameters by their flattened names (as the mock's server-side
  engine does, see ``_engine._with_nested_names``), so a grid with nested parameters
  ends; sweeps 0.2.0 alone would propose its first point forever.
* The engine's warnings (scikit-learn's, in bayes search) are silenced, as sweeps 0.3.0
  does, and with WANDB_MOCK_SEED the proposals are seeded like the mock's agents'.
* No sweep URL is printed (offline there is none), and no API key is needed: the
  real ``wandb.controller()`` verifies one with the W&B server before anything else.
"""

from __future__ import annotations

import json
import os
import random
import string
import time
from collections.abc import Callable
from typing import Any

import yaml

import wandb
from wandb import _engine

class _Engine:
    """The ``sweeps`` package, imported on first use: the real module imports it at once,
    but the docs build reads this module's signatures and must stay quick."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_engine._sweeps(), name)


sweeps = _Engine()


def __getattr__(name: str) -> Any:
    if name == "SWEEP_INITIAL_RUN_STATE":  # 'pending', as in the real module
        return sweeps.RunState.pending
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# run(): how often to look for a change in the store while nothing changes (the real
# controller sleeps 5 seconds between steps).
CHANGE_POLL_MAX = 0.1


def _id_generator(size=10, chars=string.ascii_lowercase + string.digits):
    return "".join(random.choice(chars) for _ in range(size))


class ControllerError(Exception):
    """Base class for sweep errors."""


class _WandbController:
    """Sweep controller class (see the module docstring)."""

    def __init__(self, sweep_id_or_config=None, entity=None, project=None):
        self._sweep_id: str | None = None
        self._create: dict = {}
        self._custom_search: Callable | None = None
        self._custom_stopping: Callable | None = None
        self._program_function = None

        self._sweep_obj = None
        self._sweep_config: dict | sweeps.SweepConfig | None = None
        self._sweep_metric: str | None = None
        self._sweep_runs: list[sweeps.SweepRun] | None = None
        self._sweep_runs_map: dict[str, sweeps.SweepRun] | None = None
        self._scheduler: dict | None = None
        self._controller: dict | None = None
        self._controller_prev_step: dict | None = None

        self._started: bool = False
        self._done_scheduling: bool = False
        self._defer_sweep_creation: bool = False
        self._logged: int = 0
        self._laststatus: str = ""
        self._log_actions: list[tuple[str, str]] = []
        self._log_debug: list[str] = []
        self._marker: Any = None

        environ = os.environ
        if entity:
            environ["WANDB_ENTITY"] = entity
        if project:
            environ["WANDB_PROJECT"] = project
        self._api = wandb.Api()

        if isinstance(sweep_id_or_config, str):
            self._sweep_id = sweep_id_or_config
        elif isinstance(sweep_id_or_config, (dict, sweeps.SweepConfig)):
            self._create = sweeps.SweepConfig(sweep_id_or_config)

            # check for custom search and or stopping functions
            for config_key, controller_attr in zip(
                ["method", "early_terminate"],
                ["_custom_search", "_custom_stopping"],
                strict=True,
            ):
                if callable(config_key in self._create and self._create[config_key]):
                    setattr(self, controller_attr, self._create[config_key])
                    self._create[config_key] = "custom"

            self._sweep_id = self.create(from_dict=True)
        elif sweep_id_or_config is None:
            self._defer_sweep_creation = True
            return
        else:
            raise ControllerError("Unhandled sweep controller type")
        sweep_obj = self._sweep_object_read_from_backend()
        if sweep_obj is None:
            raise ControllerError("Can not find sweep")
        self._sweep_obj = sweep_obj

    def configure_search(
        self,
        search: str
        | Callable[
            [dict | sweeps.SweepConfig, list[sweeps.SweepRun]], sweeps.SweepRun | None
        ],
    ):
        self._configure_check()
        if isinstance(search, str):
            self._create["method"] = search
        elif callable(search):
            self._create["method"] = "custom"
            self._custom_search = search
        else:
            raise ControllerError("Unhandled search type.")

    def configure_stopping(
        self,
        stopping: str
        | Callable[
            [dict],
            Callable[
                [dict | sweeps.SweepConfig, list[sweeps.SweepRun]],
                list[sweeps.SweepRun],
            ],
        ],
        **kwargs,
    ):
        self._configure_check()
        if isinstance(stopping, str):
            self._create.setdefault("early_terminate", {})
            self._create["early_terminate"]["type"] = stopping
            for k, v in kwargs.items():
                self._create["early_terminate"][k] = v
        elif callable(stopping):
            self._custom_stopping = stopping(kwargs)
            self._create.setdefault("early_terminate", {})
            self._create["early_terminate"]["type"] = "custom"
        else:
            raise ControllerError("Unhandled stopping type.")

    def configure_metric(self, metric, goal=None):
        self._configure_check()
        self._create.setdefault("metric", {})
        self._create["metric"]["name"] = metric
        if goal:
            self._create["metric"]["goal"] = goal

    def configure_program(self, program):
        self._configure_check()
        if isinstance(program, str):
            self._create["program"] = program
        elif callable(program):
            self._create["program"] = "__callable__"
            self._program_function = program
            raise ControllerError("Program functions are not supported yet")
        else:
            raise ControllerError("Unhandled sweep program type")

    def configure_name(self, name):
        self._configure_check()
        self._create["name"] = name

    def configure_description(self, description):
        self._configure_check()
        self._create["description"] = description

    def configure_parameter(
        self,
        name,
        values=None,
        value=None,
        distribution=None,
        min=None,
        max=None,
        mu=None,
        sigma=None,
        q=None,
        a=None,
        b=None,
    ):
        self._configure_check()
        self._create.setdefault("parameters", {}).setdefault(name, {})
        if value is not None or (values is None and min is None and max is None and distribution is None):
            self._create["parameters"][name]["value"] = value
        if values is not None:
            self._create["parameters"][name]["values"] = values
        if distribution is not None:
            self._create["parameters"][name]["distribution"] = distribution
        if min is not None:
            self._create["parameters"][name]["min"] = min
        if max is not None:
            self._create["parameters"][name]["max"] = max
        if mu is not None:
            self._create["parameters"][name]["mu"] = mu
        if sigma is not None:
            self._create["parameters"][name]["sigma"] = sigma
        if q is not None:
            self._create["parameters"][name]["q"] = q
        if a is not None:
            self._create["parameters"][name]["a"] = a
        if b is not None:
            self._create["parameters"][name]["b"] = b

    def configure_controller(self, type):
        """Configure controller to local if type == 'local'."""
        self._configure_check()
        self._create.setdefault("controller", {})
        self._create["controller"].setdefault("type", type)

    def configure(self, sweep_dict_or_config):
        self._configure_check()
        if self._create:
            raise ControllerError("Already configured.")
        if isinstance(sweep_dict_or_config, dict):
            self._create = sweep_dict_or_config
        elif isinstance(sweep_dict_or_config, str):
            self._create = yaml.safe_load(sweep_dict_or_config)
        else:
            raise ControllerError("Unhandled sweep controller type")

    @property
    def sweep_config(self) -> dict | sweeps.SweepConfig:
        return self._sweep_config

    @property
    def sweep_id(self) -> str | None:
        return self._sweep_id

    def _log(self) -> None:
        self._logged += 1

    def _error(self, s: str) -> None:
        print("ERROR:", s)  # noqa: T201
        self._log()

    def _warn(self, s: str) -> None:
        print("WARN:", s)  # noqa: T201
        self._log()

    def _info(self, s: str) -> None:
        print("INFO:", s)  # noqa: T201
        self._log()

    def _debug(self, s: str) -> None:
        print("DEBUG:", s)  # noqa: T201
        self._log()

    def _configure_check(self) -> None:
        if self._started:
            raise ControllerError("Can not configure after sweep has been started.")

    def _validate(self, config: dict) -> str:
        from wandb._sweep import sweep_config_err_text_from_jsonschema_violations

        violations = sweeps.schema_violations_from_proposed_config(config)
        msg = sweep_config_err_text_from_jsonschema_violations(violations) if len(violations) > 0 else ""
        return msg

    def create(self, from_dict: bool = False) -> str:
        if self._started:
            raise ControllerError("Can not create after sweep has been started.")
        if not self._defer_sweep_creation and not from_dict:
            raise ControllerError("Can not use create on already created sweep.")
        if not self._create:
            raise ControllerError("Must configure sweep before create.")

        # validate sweep config
        self._create = sweeps.SweepConfig(self._create)

        # Create sweep (the mock's upsert prints the server's schema warnings itself)
        from wandb import _settings
        from wandb._sweep import upsert_sweep

        config = dict(self._create)
        entity = os.environ.get("WANDB_ENTITY") or config.get("entity") or _settings.default_entity()
        project = os.environ.get("WANDB_PROJECT") or config.get("project") or _settings.default_project()
        sweep_id = upsert_sweep(config, entity, project)
        os.environ["WANDB_ENTITY"] = entity  # like _upsert_sweep: the process defaults
        os.environ["WANDB_PROJECT"] = project

        print("Create sweep with ID:", sweep_id)  # noqa: T201
        self._sweep_id = sweep_id
        self._defer_sweep_creation = False
        return sweep_id

    def run(
        self,
        verbose: bool = False,
        print_status: bool = True,
        print_actions: bool = False,
        print_debug: bool = False,
    ) -> None:
        if verbose:
            print_status = True
            print_actions = True
            print_debug = True
        self._start_if_not_started()
        while not self.done():
            if print_status:
                self.print_status()
            self.step()
            if print_actions:
                self.print_actions()
            if print_debug:
                self.print_debug()
            self._wait_for_change()

    def _wait_for_change(self) -> None:
        """Mock: until the sweep, its runs or its scheduler change (the real one: sleep 5 s)."""
        from wandb import _store

        if self.done():
            return  # the real one sleeps, then finds the sweep done
        interval = 0.01
        while _store.sweep_marker(self._sweep_obj["name"]) == self._marker:
            time.sleep(interval)
            interval = min(interval * 1.5, CHANGE_POLL_MAX)

    def _sweep_object_read_from_backend(self) -> dict | None:
        specs_json = {}
        if self._sweep_metric:
            k = ["_step"]
            k.append(self._sweep_metric)
            specs_json = {"keys": k, "samples": 100000}
        sweep_obj = _sweep_with_runs(self._sweep_id, specs_json)
        if not sweep_obj:
            return
        self._marker = sweep_obj.pop("_marker")
        self._sweep_obj = sweep_obj
        self._sweep_config = yaml.safe_load(sweep_obj["config"])
        self._sweep_metric = self._sweep_config.get("metric", {}).get("name")

        _sweep_runs: list[sweeps.SweepRun] = []
        for r in sweep_obj["runs"]:
            rr = r.copy()
            if "summaryMetrics" in rr and rr["summaryMetrics"]:
                rr["summaryMetrics"] = json.loads(rr["summaryMetrics"])
            if "config" not in rr:
                raise ValueError("sweep object is missing config")
            rr["config"] = json.loads(rr["config"])
            if "sampledHistory" in rr:
                sampled_history = []
                for historyDictList in rr["sampledHistory"]:
                    sampled_history += historyDictList
                rr["sampledHistory"] = sampled_history
            _sweep_runs.append(sweeps.SweepRun(**rr))

        self._sweep_runs = _sweep_runs
        self._sweep_runs_map = {r.name: r for r in self._sweep_runs}

        self._controller = json.loads(sweep_obj.get("controller") or "{}")
        self._scheduler = json.loads(sweep_obj.get("scheduler") or "{}")
        self._controller_prev_step = self._controller.copy()
        return sweep_obj

    def _sweep_object_sync_to_backend(self) -> None:
        if self._controller == self._controller_prev_step:
            return
        from wandb import _store
        from wandb._sweep import handle_sweep_config_violations

        _store.save_controller(self._sweep_obj["name"], self._controller)
        handle_sweep_config_violations(_engine.schema_violations(self._sweep_config))
        self._controller_prev_step = self._controller.copy()

    def _start_if_not_started(self) -> None:
        if self._started:
            return
        if self._defer_sweep_creation:
            raise ControllerError("Must specify or create a sweep before running controller.")
        obj = self._sweep_object_read_from_backend()
        if not obj:
            return
        is_local = self._sweep_config.get("controller", {}).get("type") == "local"
        if not is_local:
            raise ControllerError("Only sweeps with a local controller are currently supported.")
        self._started = True
        # reset controller state, as the real controller does on start
        self._controller = {}
        self._sweep_object_sync_to_backend()

    def _parse_scheduled(self):
        scheduled_list = self._scheduler.get("scheduled") or []
        started_ids = []
        stopped_runs = []
        done_runs = []
        for s in scheduled_list:
            runid = s.get("runid")
            objid = s.get("id")
            r = self._sweep_runs_map.get(runid)
            if not r:
                continue
            if r.stopped:
                stopped_runs.append(runid)
            summary = r.summary_metrics
            if r.state == sweeps.RunState.pending and not summary:
                continue
            started_ids.append(objid)
            if r.state != "running":
                done_runs.append(runid)
        return started_ids, stopped_runs, done_runs

    def _step(self) -> None:
        self._start_if_not_started()
        self._sweep_object_read_from_backend()

        started_ids, stopped_runs, done_runs = self._parse_scheduled()

        # Remove schedule entry from controller dict if already scheduled
        schedule_list = self._controller.get("schedule", [])
        new_schedule_list = [s for s in schedule_list if s.get("id") not in started_ids]
        self._controller["schedule"] = new_schedule_list

        # Remove earlystop entry from controller if already stopped
        earlystop_list = self._controller.get("earlystop", [])
        new_earlystop_list = [r for r in earlystop_list if r not in stopped_runs and r not in done_runs]
        self._controller["earlystop"] = new_earlystop_list

        # Clear out step logs
        self._log_actions = []
        self._log_debug = []

    def step(self) -> None:
        self._step()
        suggestion = self.search()
        self.schedule(suggestion)
        to_stop = self.stopping()
        if len(to_stop) > 0:
            self.stop_runs(to_stop)

    def done(self) -> bool:
        self._start_if_not_started()
        state = self._sweep_obj.get("state")
        return state not in [
            s.upper()
            for s in (
                sweeps.RunState.preempting.value,
                sweeps.RunState.pending.value,
                sweeps.RunState.running.value,
            )
        ]

    def _search(self) -> sweeps.SweepRun | None:
        runs = self._sweep_runs or []
        if self._custom_search:
            next_run = self._custom_search(self._sweep_config, runs)
        else:
            import warnings

            engine_runs = [_with_nested_names(r, self._sweep_config) for r in runs]
            with _engine._seeded("trial", self._sweep_obj["name"], len(runs)), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                next_run = _engine._next_run(self._sweep_config, engine_runs)
        if next_run is None:
            self._done_scheduling = True
        return next_run

    def search(self) -> sweeps.SweepRun | None:
        self._start_if_not_started()
        suggestion = self._search()
        return suggestion

    def _stopping(self) -> list[sweeps.SweepRun]:
        if "early_terminate" not in self.sweep_config:
            return []
        stopper = self._custom_stopping or sweeps.stop_runs
        stop_runs = stopper(self._sweep_config, self._sweep_runs or [])

        debug_lines = [
            " ".join([f"{k}={v}" for k, v in run.early_terminate_info.items()])
            for run in stop_runs
            if run.early_terminate_info is not None
        ]
        if debug_lines:
            self._log_debug += debug_lines

        return stop_runs

    def stopping(self) -> list[sweeps.SweepRun]:
        self._start_if_not_started()
        return self._stopping()

    def schedule(self, run: sweeps.SweepRun | None) -> None:
        self._start_if_not_started()

        # only schedule one run at a time (for now)
        if self._controller and self._controller.get("schedule"):
            return

        schedule_id = _id_generator()

        if run is None:
            schedule_list = [{"id": schedule_id, "data": {"args": None}}]
        else:
            param_list = ["{}={}".format(k, v.get("value")) for k, v in sorted(run.config.items())]
            self._log_actions.append(("schedule", ",".join(param_list)))

            # schedule one run
            schedule_list = [{"id": schedule_id, "data": {"args": _engine._plain(run.config)}}]

        self._controller["schedule"] = schedule_list
        self._sweep_object_sync_to_backend()

    def stop_runs(self, runs: list[sweeps.SweepRun]) -> None:
        earlystop_list = list({run.name for run in runs})
        self._log_actions.append(("stop", ",".join(earlystop_list)))
        self._controller["earlystop"] = earlystop_list
        self._sweep_object_sync_to_backend()

    def print_status(self) -> None:
        status = _sweep_status(self._sweep_obj, self._sweep_config, self._sweep_runs)
        if self._laststatus != status or self._logged:
            print(status)  # noqa: T201
        self._laststatus = status
        self._logged = 0

    def print_actions(self) -> None:
        for action, line in self._log_actions:
            self._info(f"{action.capitalize()} ({line})")
        self._log_actions = []

    def print_debug(self) -> None:
        for line in self._log_debug:
            self._debug(line)
        self._log_debug = []

    def print_space(self) -> None:
        self._warn("Method not implemented yet.")

    def print_summary(self) -> None:
        self._warn("Method not implemented yet.")


def _sweep_with_runs(sweep: str, specs: dict) -> dict | None:
    """What the real ``_sweep_with_runs`` GraphQL query returns, read from the store:
    the sweep (config as YAML, controller and scheduler as JSON) and its runs (config and
    summary as JSON, history sampled to the spec's keys). The sweep is looked up in the
    default entity and project (WANDB_ENTITY, WANDB_PROJECT), like the real query."""
    from wandb import _settings, _store

    parts = [p for p in sweep.split("/") if p]
    sweep_name = parts[-1] if parts else sweep
    row = _store.get_sweep(sweep_name)
    if row is None:
        return None
    entity = (parts[-3] if len(parts) >= 3 else None) or os.environ.get("WANDB_ENTITY") or _settings.default_entity()
    project = (parts[-2] if len(parts) >= 2 else None) or os.environ.get("WANDB_PROJECT") or _settings.default_project()
    if (entity, project) != (row["entity"], row["project"]):
        return None
    marker = _store.sweep_marker(row["id"])
    controller, scheduler = _store.get_control(row["id"])
    stops = _store.stopped_run_ids(row["id"])
    keys = specs.get("keys")
    runs = []
    for r in _store.sweep_runs(row["id"]):
        history = [{k: h[k] for k in keys if k in h} for h in r["history"]] if keys else []
        runs.append(
            {
                "name": r["id"],
                "state": r["state"],
                "config": json.dumps({k: {"value": v} for k, v in r["config"].items()}),
                "exitcode": r["exit_code"],
                "shouldStop": r["id"] in stops and r["state"] in ("pending", "running"),
                "stopped": r["id"] in stops and r["state"] not in ("pending", "running"),
                "running": r["state"] == "running",
                "summaryMetrics": json.dumps(r["summary"]),
                "sampledHistory": [history],
            }
        )
    return {
        "id": row["id"],
        "name": row["id"],
        "state": row["state"],
        "config": yaml.safe_dump(row["config"]),
        "controller": json.dumps(controller),
        "scheduler": json.dumps(scheduler),
        "runs": runs,
        "_marker": marker,
    }


def _with_nested_names(run: Any, config: dict) -> Any:
    params = _engine._with_nested_names(run.config, config.get("parameters"))
    return run if params is run.config else run.model_copy(update={"config": params})


def _get_run_counts(runs: list[sweeps.SweepRun]) -> dict[str, int]:
    metrics = {}
    categories = [name for name, _ in sweeps.RunState.__members__.items()] + ["unknown"]
    for r in runs:
        state = r.state
        found = "unknown"
        for c in categories:
            if state == c:
                found = c
                break
        metrics.setdefault(found, 0)
        metrics[found] += 1
    return metrics


def _get_runs_status(metrics):
    categories = [name for name, _ in sweeps.RunState.__members__.items()] + ["unknown"]
    mlist = []
    for c in categories:
        if not metrics.get(c):
            continue
        mlist.append(f"{c.capitalize()}: {metrics[c]}")
    s = ", ".join(mlist)
    return s


def _sweep_status(
    sweep_obj: dict,
    sweep_conf: dict | sweeps.SweepConfig,
    sweep_runs: list[sweeps.SweepRun],
) -> str:
    sweep = sweep_obj["name"]
    _ = sweep_obj["state"]
    run_count = len(sweep_runs)
    run_type_counts = _get_run_counts(sweep_runs)
    stopped = len([r for r in sweep_runs if r.stopped])
    stopping = len([r for r in sweep_runs if r.should_stop])
    stopstr = ""
    if stopped or stopping:
        stopstr = f"Stopped: {stopped}"
        if stopping:
            stopstr += f" (Stopping: {stopping})"
    runs_status = _get_runs_status(run_type_counts)
    method = sweep_conf.get("method", "unknown")
    stopping = sweep_conf.get("early_terminate", None)
    sweep_options = []
    sweep_options.append(method)
    if stopping:
        sweep_options.append(stopping.get("type", "unknown"))
    sweep_options = ",".join(sweep_options)
    sections = []
    sections.append(f"Sweep: {sweep} ({sweep_options})")
    if runs_status:
        sections.append(f"Runs: {run_count} ({runs_status})")
    else:
        sections.append(f"Runs: {run_count}")
    if stopstr:
        sections.append(stopstr)
    sections = " | ".join(sections)
    return sections
