"""``wandb.init``/``finish``/``teardown``/``login``/``setup`` and the module globals.

``init`` wires ``wandb.run``, ``wandb.config``, ``wandb.summary`` and
``wandb.log`` to the new run like the real SDK; ``finish`` puts the
"You must call wandb.init() before ..." placeholders back.

Sweep runs: when WANDB_SWEEP_ID and WANDB_RUN_ID are set (by ``wandb agent``
or ``wandb.agent``), the run adopts that id, joins the sweep's entity/project,
reads its parameters from WANDB_SWEEP_PARAM_PATH and locks them (user
"sweep"), as the real SDK does.

Deliberate difference: when WANDB_MOCK_SEED is set, ``init`` seeds Python's
``random`` and (if numpy is already imported) numpy's global RNG from the seed
and the run id, so scripts that print random numbers give stable output.
"""

from __future__ import annotations

import atexit
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import wandb
from wandb import _ids, _settings, _store  # cheap: sqlite3 itself is imported on first store use
from wandb._term import termerror, termlog, termwarn
from wandb.errors import Error

if TYPE_CHECKING:
    from wandb._run import Run

    StrPath = str | os.PathLike[str]
    Settings = Any
    DoNotSet = Any

_UNSET: Any = object()

_active_runs: list[Run] = []
_uncaught_exception = False
_exit_code: int | None = None
_hooks_installed = False
_agent_kind: str | None = None  # set by wandb.agent while it runs a function


def _install_exit_hooks() -> None:
    """Finish a run left open at interpreter exit, failed if an exception escaped."""
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    previous_hook = sys.excepthook

    def excepthook(exc_type, exc, tb):  # type: ignore[no-untyped-def]
        global _uncaught_exception
        _uncaught_exception = True
        # Like the real SDK's exit hooks (wandb/sdk/lib/exit_hooks.py), installed when its
        # service process starts, i.e. at the first wandb.init(): a W&B error is also
        # printed as "wandb: ERROR <message>" lines, before its traceback.
        if issubclass(exc_type, Error):
            termerror(str(exc), repeat=False)
        previous_hook(exc_type, exc, tb)

    sys.excepthook = excepthook

    # Like the real SDK's exit hooks: remember the code given to sys.exit().
    previous_exit = sys.exit

    def exit(code: object = None) -> None:  # noqa: A001
        global _exit_code
        _exit_code = code if isinstance(code, int) else (0 if code is None else 1)
        previous_exit(code)

    sys.exit = exit
    atexit.register(_finish_at_exit)


def _finish_at_exit() -> None:
    code = 1 if _uncaught_exception else (_exit_code or 0)
    for run in list(_active_runs):
        run._finish(exit_code=code)
    # atexit runs handlers last-registered-first; flush here too in case the
    # store's own flush handler already ran.
    _store.flush()


def _set_globals(run: Run | None) -> None:
    from wandb import _preinit
    from wandb._config import Config
    from wandb._run import Run as RunClass
    from wandb._summary import Summary

    if run is None:
        wandb.run = None
        wandb.config = _preinit.PreInitObject("wandb.config", Config)
        wandb.summary = _preinit.PreInitObject("wandb.summary", Summary)
        wandb.log = _preinit.PreInitCallable("wandb.log", RunClass.log)
        wandb.define_metric = _preinit.PreInitCallable("wandb.define_metric", RunClass.define_metric)
    else:
        wandb.run = run
        wandb.config = run.config
        wandb.summary = run.summary
        wandb.log = run.log
        wandb.define_metric = run.define_metric


def _on_run_finished(run: Run) -> None:
    if run in _active_runs:
        _active_runs.remove(run)
    if wandb.run is run:
        _set_globals(_active_runs[-1] if _active_runs else None)


def _seed_global_rngs(run_id: str) -> None:
    seed = _settings.seed()
    if seed is None:
        return
    import random

    from wandb._ids import seed_int

    value = seed_int(seed, "rng", run_id)
    random.seed(value)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(value)


def init(  # noqa: C901
    entity: str | None = None,
    project: str | None = None,
    dir: StrPath | None = None,
    id: str | None = None,
    name: str | None = None,
    notes: str | None = None,
    tags: Sequence[str] | None = None,
    config: dict[str, Any] | str | None = None,
    config_exclude_keys: list[str] | None = None,
    config_include_keys: list[str] | None = None,
    allow_val_change: bool | None = None,
    group: str | None = None,
    job_type: str | None = None,
    mode: Literal["online", "offline", "disabled", "shared"] | None = None,
    force: bool | None = None,
    reinit: bool | Literal[None, "default", "return_previous", "finish_previous", "create_new"] = None,
    resume: bool | Literal["allow", "never", "must", "auto"] | None = None,
    resume_from: str | None = None,
    fork_from: str | None = None,
    save_code: bool | None = None,
    tensorboard: bool | None = None,
    sync_tensorboard: bool | None = None,
    monitor_gym: bool | None = None,
    settings: Settings | dict[str, Any] | None = None,
    anonymous: DoNotSet = _UNSET,
) -> Run:
    """Start a new run (mock: recorded in the local store, never uploaded)."""
    from wandb._config import Config, parse_config
    from wandb._run import Run

    new_id = _ids.new_id

    if isinstance(settings, dict):
        mode = mode or settings.get("mode")
    if reinit is None:
        reinit = "default"
    if _active_runs:
        if reinit in (True, "finish_previous"):
            termlog(f"Finishing previous runs because reinit is set to {reinit!r}.")
            for previous in list(_active_runs):
                previous.finish()
        elif reinit == "create_new":
            pass
        elif resume == "must":
            raise Error(
                "Cannot resume a run while another run is active."
                " You must either finish it using run.finish(),"
                " or use reinit='create_new' when calling wandb.init()."
            )
        else:
            termlog(
                "wandb.init() called while a run is active and reinit is"
                f" set to {reinit!r}, so returning the previous run."
            )
            return _active_runs[-1]

    if dir is not None:
        os.environ.setdefault("WANDB_DIR", os.fspath(dir))
    mode = mode or os.environ.get("WANDB_MODE") or "offline"
    if mode == "dryrun":
        mode = "offline"

    sweep_id = os.environ.get("WANDB_SWEEP_ID") or None
    env_run_id = os.environ.get("WANDB_RUN_ID") or None
    sweep_params: dict[str, Any] = {}
    sweep_metric: str | None = None
    sweep_row = None
    if sweep_id:
        for key, value in (("project", project), ("entity", entity), ("run_id", id)):
            if value is not None:
                termwarn(f"Ignoring {key} {value!r} when running a sweep.")
        project = entity = id = None
        sweep_row = _store.get_sweep(sweep_id)
        param_path = os.environ.get("WANDB_SWEEP_PARAM_PATH")
        if param_path:
            from wandb.sdk.lib import config_util

            sweep_params = config_util.dict_from_config_file(param_path) or {}
        if sweep_row is not None:
            entity = sweep_row["entity"]
            project = sweep_row["project"]
            metric = sweep_row["config"].get("metric")
            if isinstance(metric, dict) and isinstance(metric.get("name"), str):
                sweep_metric = metric["name"]

    entity = entity or _settings.default_entity()
    project = project or _settings.default_project()
    run_id = id or env_run_id or new_id("run", _store.count_runs() if _settings.seed() else 0)

    run_config = Config()
    base = parse_config(config or {}, include=config_include_keys, exclude=config_exclude_keys)
    # Deprecated in 0.31 (wandb/sdk/wandb_init.py): a warning each, once per process, when
    # the run starts (so not when parse_config refused them).
    for key, used in (("config_exclude_keys", config_exclude_keys), ("config_include_keys", config_include_keys)):
        if used:
            which = "exclude" if key == "config_exclude_keys" else "include"
            termwarn(
                f"{key} is deprecated. Use `config=wandb.helper.parse_config(config_object, {which}=('key',))` instead.",
                repeat=False,
            )
    run_config._update(base, allow_val_change=True, ignore_locked=True)
    if sweep_params:
        run_config.merge_locked(sweep_params, user="sweep", _allow_val_change=True)

    persist = mode != "disabled"
    run = Run(
        run_id=run_id,
        entity=entity,
        project=project,
        name=name,
        config=run_config,
        sweep_id=sweep_id,
        sweep_metric=sweep_metric,
        mode=mode,
        notes=notes,
        tags=tuple(tags or ()),
        group=group,
        job_type=job_type,
        persist=persist,
    )
    if persist:
        metadata = {
            "pid": os.getpid(),
            "ppid": os.getppid(),
            "launched_by": _agent_kind or "script",
            "program": sys.argv[0] if sys.argv else None,
            "args": sys.argv[1:],
        }
        record = (run_id, entity, project, name, sweep_id, dict(run_config._as_dict()), metadata)
        if sweep_id:
            _store.start_run(*record)  # the agent waits for it: write now
        else:
            _store.defer(_store.start_run, *record)
    if sweep_row is not None and persist:
        from wandb import _sweep_server

        run._sweep_server = _sweep_server.for_run(sweep_row, run_id, _agent_kind)
    _active_runs.append(run)
    _set_globals(run)
    _install_exit_hooks()
    _seed_global_rngs(run_id)
    return run


def finish(exit_code: int | None = None) -> None:
    """Finish the current run (``wandb.run``), if any."""
    if wandb.run:
        wandb.run.finish(exit_code=exit_code)


def teardown(exit_code: int | None = None) -> None:
    """Finish every active run (the real one also shuts its service process down)."""
    for run in list(_active_runs):
        run._finish(exit_code=exit_code)


def login(
    key: str | None = None,
    relogin: bool | None = None,
    host: str | None = None,
    force: bool | None = None,
    timeout: int | None = None,
    verify: bool = True,
    referrer: str | None = None,
    prompt: bool = True,
    anonymous: DoNotSet = _UNSET,
) -> bool:
    """Accepted; the mock is always offline, so (like the real SDK offline) it returns False."""
    if anonymous is not _UNSET:
        termwarn(
            "The anonymous parameter to wandb.login() has no effect and will"
            + " be removed in future versions.",
            repeat=False,
        )
    if wandb.run is not None:
        termwarn("Calling wandb.login() after wandb.init() has no effect.")
        return False
    termwarn("Unable to verify login in offline mode.")
    return False


def setup(settings: Settings | None = None) -> None:
    """Accepted and ignored: the mock has no service process to start."""
    return None


