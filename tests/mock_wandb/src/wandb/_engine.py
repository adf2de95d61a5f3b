"""Adapter to W&B's open-source sweep engine, the ``sweeps`` package (0.2.0).

Imported lazily (``sweeps`` pulls numpy, jsonschema and, for bayes, scipy and
scikit-learn), so ``import wandb`` stays fast.

* ``schema_violations``: the schema checks the W&B server runs when a sweep is
  created, whose results the real SDK prints as "Malformed sweep config
  detected!" warnings.  sweeps 0.2.0's schema predates a few top-level keys the
  server accepts (``run_cap``, ``job``, ``image_uri``, ``scheduler``); they are
  added here with their definitions from sweeps 0.3.0 so valid configs do not warn.
* ``check_runnable``: asks the engine for a first proposal, so a config it
  cannot run (bayes without a metric, grid with a continuous distribution...)
  fails when the sweep is created, before any run starts.
* ``propose``: the next trial, from the engine's ``next_run`` logic with the sweep's runs so
  far.  With WANDB_MOCK_SEED the RNGs are seeded from (seed, sweep, trial) and
  restored afterwards.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import sys
import types
import warnings
from contextlib import contextmanager
from typing import Any, Iterator

from wandb import _settings

_validator = None


class _Deferred(types.ModuleType):
    """Stands in ``sys.modules`` for a module until one of its attributes is first read;
    then imports the real module, takes its place and copies its namespace."""

    def __getattr__(self, attr: str) -> Any:
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, real)
        self.__dict__.update({k: v for k, v in real.__dict__.items() if k != "__class__"})
        return getattr(real, attr)


def _defer(name: str) -> None:
    """Make ``import name`` cheap until the module is used. The engine imports
    ``scipy.stats`` at the top of ``sweeps.params`` (1-2 s of every process that creates
    or samples a sweep) but calls it only to sample random and bayes parameters, so
    creating a sweep or running a grid no longer loads it. (``importlib.util.LazyLoader``
    does not help here: a second ``import`` statement reads the module's ``__spec__``,
    which loads it.)"""
    if name in sys.modules or importlib.util.find_spec(name) is None:
        return
    parent, _, child = name.rpartition(".")
    stand_in = _Deferred(name)
    sys.modules[name] = stand_in
    if parent:
        setattr(sys.modules[parent], child, stand_in)


def _sweeps():
    # sweeps 0.2.0 defines a pydantic-v1 style ``class Config``; pydantic 2 warns
    # about it on import (a UserWarning, plus a deprecation warning that pytest
    # shows).  Silence exactly those two, nothing else.
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=r"Valid config keys have changed in V2",
            category=UserWarning,
        )
        warnings.filterwarnings(
            "ignore",
            message=r"Support for class-based `config` is deprecated",
            category=DeprecationWarning,
        )
        _defer("scipy.stats")
        # jsonref imports requests (0.2 s) to fetch $refs to remote schemas, and falls back
        # to urllib without it; the engine's schema has no remote $ref. Hidden only while
        # the engine is imported: the process can import requests afterwards as usual.
        hide_requests = "requests" not in sys.modules
        if hide_requests:
            sys.modules["requests"] = None  # type: ignore[assignment]
        try:
            import sweeps
            import sweeps.run  # noqa: F401
        finally:
            if hide_requests and sys.modules.get("requests", 0) is None:
                del sys.modules["requests"]
    return sweeps


def _schema_validator():
    global _validator
    if _validator is None:
        import copy

        from jsonschema import Draft7Validator

        _sweeps()
        from sweeps.config import schema as sweeps_schema

        schema = copy.deepcopy(sweeps_schema.sweep_config_jsonschema)
        props = schema["properties"]
        props.setdefault(
            "run_cap",
            {
                "type": "integer",
                "description": "Sweep will run no more than this number of runs, across any number of agents",
                "exclusiveMinimum": 0,
            },
        )
        props.setdefault("job", {"type": "string", "description": "Launch Job to run"})
        props.setdefault(
            "image_uri",
            {"type": "string", "description": "Sweeps on Launch will use this uri instead of a job"},
        )
        props.setdefault("scheduler", {"type": "object"})
        _validator = Draft7Validator(schema=schema, format_checker=sweeps_schema.format_checker)
    return _validator


def schema_violations(config: dict) -> list[str]:
    """``sweeps.schema_violations_from_proposed_config`` with the server's extra keys."""
    _sweeps()
    import jsonschema
    from sweeps.config.schema import (
        check_for_deprecated_distributions,
        validate_categorical_prob,
        validate_min_max,
    )

    messages = [f"{error.message}" for error in _schema_validator().iter_errors(config)]
    if not isinstance(config, dict):
        raise ValueError("Sweep config must be parsable as a JSON object.")
    parameters = config.get("parameters")
    if isinstance(parameters, dict):
        for name, param in parameters.items():
            if not isinstance(param, dict):
                raise ValueError(f"Invalid configuration for hyperparameter '{name}'")
            for check in (validate_min_max, validate_categorical_prob, check_for_deprecated_distributions):
                try:
                    check(name, param)
                except (ValueError, jsonschema.ValidationError) as e:
                    messages.append(e.args[0])
    return messages


@contextmanager
def _seeded(*parts: object) -> Iterator[None]:
    """Seed ``random`` and numpy's global RNG when WANDB_MOCK_SEED is set; restore after."""
    seed = _settings.seed()
    if seed is None:
        yield
        return
    import numpy as np

    from wandb._ids import seed_int

    py_state = random.getstate()
    np_state = np.random.get_state()
    value = seed_int(seed, *parts)
    random.seed(value)
    np.random.seed(value)
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)


def _sweep_runs(runs: list[dict], config: dict | None = None) -> list[Any]:
    from sweeps import SweepRun

    parameters = (config or {}).get("parameters") if isinstance(config, dict) else None
    result = []
    for r in runs:
        result.append(
            SweepRun(
                name=r["id"],
                state=r["state"],
                config=_with_nested_names(r.get("params") or {}, parameters),
                summaryMetrics=r.get("summary") or {},
                sampledHistory=r.get("history") or [],
            )
        )
    return result


def _with_nested_names(params: dict, parameters: Any) -> dict:
    """A run's parameters as the engine looks them up: nested parameters under its
    flattened names too (``optimizer`` + NESTING_DELIMITER + ``kind``).

    The engine names a nested parameter ``optimizer.wbnest[...].kind`` and sweeps 0.2.0
    looks for that name in each run's config, where a run keeps ``optimizer`` as one
    dict. Without this, a grid with nested parameters never sees its first point as done
    and proposes it again and again, and bayes reads every nested value as missing.
    (sweeps 0.3.0 reads the nested dict itself; this gives 0.2.0 the same view.)"""
    if not isinstance(parameters, dict) or not any(
        isinstance(spec, dict) and "parameters" in spec for spec in parameters.values()
    ):
        return params
    from sweeps.params import HyperParameterSet

    delimiter = HyperParameterSet.NESTING_DELIMITER
    flat = dict(params)

    def add(prefix: str, value: Any, specs: dict) -> None:
        for name, spec in specs.items():
            if not isinstance(value, dict) or name not in value:
                continue
            if isinstance(spec, dict) and isinstance(spec.get("parameters"), dict):
                add(f"{prefix}{name}{delimiter}", value[name], spec["parameters"])
            else:
                flat[f"{prefix}{name}"] = {"value": value[name]}

    for name, spec in parameters.items():
        if isinstance(spec, dict) and isinstance(spec.get("parameters"), dict) and name in params:
            add(f"{name}{delimiter}", params[name].get("value"), spec["parameters"])
    return flat


def _next_run(config: dict, runs: list) -> Any:
    """``sweeps.next_run`` with its own checks and messages, importing only the
    search module the method needs (``sweeps.next_runs`` imports all three, and
    bayes pulls in scikit-learn, ~0.5 s more for every grid or random agent)."""
    if "method" not in config:
        raise ValueError("Sweep config must contain method section")
    if "parameters" not in config:
        raise ValueError("Sweep config must contain parameters section")
    if not (isinstance(config["parameters"], dict) and len(config["parameters"]) > 0):
        raise ValueError("Parameters section of sweep config must be a dict of at least length 1")
    method = config["method"]
    if method == "grid":
        from sweeps.grid_search import grid_search_next_runs

        return grid_search_next_runs(runs, config, validate=False, n=1)[0]
    if method == "random":
        from sweeps.random_search import random_search_next_runs

        return random_search_next_runs(config, validate=False, n=1)[0]
    if method == "bayes":
        from sweeps.bayes_search import bayes_search_next_runs

        return bayes_search_next_runs(runs, config, validate=False, n=1)[0]
    raise ValueError(f'Invalid search type {method}, must be one of ["grid", "random", "bayes"]')


def prepare(method: str | None) -> None:
    """Import the engine outside the store's write lock (scipy takes a while to load)."""
    _sweeps()
    module = {"grid": "grid_search", "random": "random_search", "bayes": "bayes_search"}.get(method or "")
    if module:
        importlib.import_module(f"sweeps.{module}")


def check_runnable(config: dict) -> None:
    """Raise ValueError (the engine's message) if the engine cannot propose a first run.

    Random search is checked the way ``random_search_next_runs`` starts, by building its
    parameter set (every parameter's checks and messages), without sampling a value: the
    sample itself cannot fail once the set is built, and sampling is what loads scipy."""
    _sweeps()
    with _seeded("check"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if isinstance(config, dict) and config.get("method") == "random" and isinstance(config.get("parameters"), dict) and config["parameters"]:
            from sweeps.params import HyperParameterSet

            HyperParameterSet.from_config(config["parameters"])
            return
        _next_run(config, [])


def propose(config: dict, runs: list[dict], trial: int, sweep_id: str) -> dict | None:
    """The next trial's parameters ``{name: {"value": v}}``, or None when exhausted."""
    _sweeps()
    # The real engine runs on the server: its warnings (e.g. scikit-learn's
    # ConvergenceWarning in bayes search) never reach the user.
    with _seeded("trial", sweep_id, trial), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        suggestion = _next_run(config, _sweep_runs(runs, config))
    if suggestion is None:
        return None
    return {k: {"value": _plain(v["value"])} for k, v in suggestion.config.items()}


def _plain(value: Any) -> Any:
    """numpy scalars from the engine to plain Python values (YAML/JSON friendly)."""
    if hasattr(value, "item") and type(value).__module__.startswith("numpy"):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):  # nested parameters come back as dicts of values
        return {k: _plain(v) for k, v in value.items()}
    return value


def hyperband_stops(config: dict, runs: list[dict]) -> list[str]:
    """The running runs that the engine's early termination (``sweeps.stop_runs``) would
    stop now, by id: what the W&B server decides for a sweep with ``early_terminate``
    and no local controller. An incomplete ``early_terminate`` (no ``min_iter``, no
    ``max_iter``) stops nothing, as the server's warning at creation announced."""
    _sweeps()
    import jsonschema
    import sweeps

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return [r.name for r in sweeps.stop_runs(config, _sweep_runs(runs, config))]
        except (ValueError, jsonschema.ValidationError):
            return []
