"""Adapter to W&B's open-source sweep engine, the ``sweeps`` package (0.2.0).

Imported lazily (``sweeps`` pulls numpy, jsonschema and pydantic), so ``import wandb``
stays fast. The engine's scipy.stats is replaced, while it is imported, by
``wandb._stats``: the same quantile functions, bit for bit, without loading scipy for
random and grid sweeps; bayes search loads scipy and scikit-learn when it first fits its
Gaussian process.

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
import random
import sys
import types
import warnings
from contextlib import contextmanager
from typing import Any, Iterator

from wandb import _settings, _stats

_validator = None
_MISSING = object()


@contextmanager
def _standing_in(name: str, module: types.ModuleType) -> Iterator[None]:
    """While the engine's modules are imported, ``import name`` (and ``from parent import
    child``) gives ``module``; afterwards ``sys.modules`` and the parent package are as they
    were, so that the rest of the process imports the real ``name`` as usual. Does nothing
    if the real module is already loaded."""
    if name in sys.modules:
        yield
        return
    parent_name, _, child = name.rpartition(".")
    saved = {n: sys.modules.get(n, _MISSING) for n in (parent_name, name)}
    parent = sys.modules.get(parent_name) or types.ModuleType(parent_name)
    old_child = vars(parent).get(child, _MISSING)
    sys.modules[parent_name], sys.modules[name] = parent, module
    setattr(parent, child, module)
    try:
        yield
    finally:
        for n, m in saved.items():
            if m is _MISSING:
                sys.modules.pop(n, None)
            else:
                sys.modules[n] = m
        if old_child is _MISSING:
            delattr(parent, child)
        else:
            setattr(parent, child, old_child)


class _OnFirstUse(types.ModuleType):
    """A module that imports the real one the first time one of its names is read.

    A name read while it stands in (while the engine's module is imported) can only be
    an annotation (bayes_search's ``-> Tuple[sklearn_gaussian.GaussianProcessRegressor,
    ...]``): it is given as a forward reference, which typing accepts as it is."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        if sys.modules.get(self.__name__) is self:
            import typing

            return typing.ForwardRef(f"{self.__name__}.{attr}")
        return getattr(importlib.import_module(self.__name__), attr)


def _sweeps():
    if "sweeps.params" in sys.modules:
        return sys.modules["sweeps"]
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
        # jsonref imports requests (0.2 s) to fetch $refs to remote schemas, and falls back
        # to urllib without it; the engine's schema has no remote $ref. Hidden only while
        # the engine is imported: the process can import requests afterwards as usual.
        hide_requests = "requests" not in sys.modules
        if hide_requests:
            sys.modules["requests"] = None  # type: ignore[assignment]
        try:
            # sweeps.params imports scipy.stats (about 2 s) to sample random values with
            # five quantile functions: wandb._stats computes them exactly as scipy.stats does,
            # and loads the real scipy.stats for anything else (bayes search).
            with _standing_in("scipy.stats", _stats):
                import sweeps
                import sweeps.params  # noqa: F401  (the one module that imports scipy.stats)
                import sweeps.run  # noqa: F401
        finally:
            if hide_requests and sys.modules.get("requests", 0) is None:
                del sys.modules["requests"]
    return sweeps


def _bayes_search():
    """``sweeps.bayes_search``, whose scipy.stats and scikit-learn Gaussian process load
    when it first fits one (a sweep's first two proposals are random samples), not when
    a bayes sweep is created: scikit-learn and scipy take about 3 s to import."""
    if "sweeps.bayes_search" not in sys.modules:
        _sweeps()
        with _standing_in("scipy.stats", _stats), _standing_in(
            "sklearn.gaussian_process", _OnFirstUse("sklearn.gaussian_process")
        ):
            import sweeps.bayes_search  # noqa: F401
    return sys.modules["sweeps.bayes_search"]


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
        return _bayes_search().bayes_search_next_runs(runs, config, validate=False, n=1)[0]
    raise ValueError(f'Invalid search type {method}, must be one of ["grid", "random", "bayes"]')


def prepare(method: str | None) -> None:
    """Import the engine outside the store's write lock (it takes a while to load)."""
    _sweeps()
    if method == "bayes":
        _bayes_search()
    elif method in ("grid", "random"):
        importlib.import_module(f"sweeps.{method}_search")


def check_runnable(config: dict) -> None:
    """Raise ValueError (the engine's message) if the engine cannot propose a first run.

    Random search is checked the way ``random_search_next_runs`` starts, by building its
    parameter set (every parameter's checks and messages), without sampling a value: the
    sample itself cannot fail once the set is built."""
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
