"""``wandb.sweep`` and the sweep creation shared with ``wandb sweep``.

Mirrors the real client steps (wandb/sdk/wandb_sweep.py and
``_upsert_sweep`` in wandb/apis/public/sweeps.py, 0.31):

1. ``_validate_config_and_fill_distribution``: min/max without a distribution
   become ``int_uniform`` (two ints) or ``uniform`` (two floats); mixed bounds
   raise "Parameter lr is ambiguous, ...".  The real ``_upsert_sweep`` is
   wrapped in ``normalize_exceptions``, so the caller gets a
   ``wandb.errors.CommError`` with that message, raised while handling the
   ValueError (both appear in the traceback) - the mock does exactly that.
2. What the server does: schema violations come back as warnings printed as
   "Malformed sweep config detected! ..." (``handle_sweep_config_violations``);
   a config the engine cannot run is refused.  The real server's refusal reads
   "Invalid sweep config: <engine message>"; the mock raises
   ``CommError("Invalid sweep config: <engine message>")`` before storing anything.
3. ``wandb.sweep`` prints ``Create sweep with ID: <id>`` to stdout (the real
   one also prints a "Sweep URL:" line; offline there is no URL).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from copy import deepcopy
from wandb import _settings
from wandb._term import termwarn
from wandb.errors import CommError, Error

SWEEP_ID_FORM_ERROR = "Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep"


def parse_sweep_id(parts_dict: dict) -> str | None:
    """In place parse sweep path from parts dict (same rules and message as the real one)."""
    entity = None
    project = None
    sweep_id = parts_dict.get("name")
    if not isinstance(sweep_id, str):
        return "Expected string sweep_id"
    sweep_split = sweep_id.split("/")
    if len(sweep_split) == 1:
        pass
    elif len(sweep_split) == 2:
        split_project, sweep_id = sweep_split
        project = split_project or project
    elif len(sweep_split) == 3:
        split_entity, split_project, sweep_id = sweep_split
        project = split_project or project
        entity = split_entity or entity
    else:
        return SWEEP_ID_FORM_ERROR
    parts_dict.update(dict(name=sweep_id, project=project, entity=entity))
    return None


def _validate_config_and_fill_distribution(config: dict) -> dict:
    config = dict(deepcopy(config))
    if "parameters" not in config:
        return config
    for parameter_name in config["parameters"]:
        parameter = config["parameters"][parameter_name]
        if "min" in parameter and "max" in parameter and "distribution" not in parameter:
            if isinstance(parameter["min"], int) and isinstance(parameter["max"], int):
                parameter["distribution"] = "int_uniform"
            elif isinstance(parameter["min"], float) and isinstance(parameter["max"], float):
                parameter["distribution"] = "uniform"
            else:
                raise ValueError(
                    f"Parameter {parameter_name} is ambiguous, please specify bounds as both floats (for a float_"
                    "uniform distribution) or ints (for an int_uniform distribution)."
                )
    return config


def sweep_config_err_text_from_jsonschema_violations(violations: list[str]) -> str:
    violation_base = (
        "Malformed sweep config detected! This may cause your sweep to behave in unexpected ways.\n"
        "To avoid this, please fix the sweep config schema violations below:"
    )
    lines = [f"  Violation {i + 1}. {warning}" for i, warning in enumerate(violations)]
    return "\n".join([violation_base] + lines)


def handle_sweep_config_violations(warnings: list[str]) -> None:
    if len(warnings) > 0:
        termwarn(sweep_config_err_text_from_jsonschema_violations(warnings))


def upsert_sweep(config: dict, entity: str, project: str) -> str:
    """Validate like client + server, store the sweep, return its id."""
    from wandb import _engine, _store
    from wandb._ids import new_id

    try:
        config = _validate_config_and_fill_distribution(config)
    except Error:
        raise
    except Exception as err:  # what the real normalize_exceptions does
        # Raised while handling the ValueError, so the traceback shows both, as in 0.31.
        raise CommError(str(err), err)

    warnings = _engine.schema_violations(config)
    try:
        _engine.check_runnable(config)
    except Exception as err:
        raise CommError(f"Invalid sweep config: {err}", err) from None
    sweep_id = _store.create_sweep(entity, project, config, lambda n: new_id("sweep", n))
    handle_sweep_config_violations(warnings)
    return sweep_id


def sweep(
    sweep: dict | Callable,
    entity: str | None = None,
    project: str | None = None,
    prior_runs: list[str] | None = None,
) -> str:
    """Create a sweep in the local store and return its id."""
    if callable(sweep):
        sweep = sweep()
    if project is None and isinstance(sweep, dict):
        project = sweep.get("project", None)
    if entity:
        os.environ["WANDB_ENTITY"] = entity
    if project:
        os.environ["WANDB_PROJECT"] = project
    entity = entity or (sweep.get("entity") if isinstance(sweep, dict) else None) or _settings.default_entity()
    project = project or _settings.default_project()
    sweep_id = upsert_sweep(sweep, entity, project)
    if prior_runs:
        _attach_prior_runs(sweep_id, prior_runs)
    print("Create sweep with ID:", sweep_id)  # noqa: T201
    return sweep_id


def controller(
    sweep_id_or_config: str | dict | None = None,
    entity: str | None = None,
    project: str | None = None,
) -> _WandbController:
    """Public sweep controller constructor (see wandb/wandb_controller.py).

    ``wandb.controller(sweep_id)`` drives an existing sweep, ``wandb.controller(config)``
    creates one first, and ``wandb.controller()`` waits for ``configure...`` and
    ``create()``. The sweep's configuration must say ``controller: {type: local}``.
    """
    from wandb.wandb_controller import _WandbController

    c = _WandbController(sweep_id_or_config=sweep_id_or_config, entity=entity, project=project)
    return c


def _attach_prior_runs(sweep_id: str, run_ids: list[str]) -> None:
    from wandb import _store

    with _store.transaction() as conn:
        for run_id in run_ids:
            conn.execute("UPDATE runs SET sweep_id = ? WHERE id = ? AND sweep_id IS NULL", (sweep_id, run_id))

