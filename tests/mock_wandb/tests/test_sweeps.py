"""wandb.sweep, wandb.agent (function) and the sweep engine: behaviour and messages."""

from __future__ import annotations

import pytest

import wandb
from wandb.errors import CommError

GRID = {
    "method": "grid",
    "metric": {"name": "val_loss", "goal": "minimize"},
    "parameters": {"lr": {"values": [0.01, 0.1]}, "batch": {"values": [16, 32]}},
}


def _grid_values(sweep_id):
    return sorted((r.config["lr"], r.config["batch"]) for r in wandb.Api().sweep(sweep_id).runs)


def test_sweep_returns_id_and_prints(capsys):
    sweep_id = wandb.sweep(GRID, project="demo")
    assert len(sweep_id) == 8 and sweep_id.isalnum()
    assert capsys.readouterr().out == f"Create sweep with ID: {sweep_id}\n"
    sweep = wandb.Api().sweep(f"mock-entity/demo/{sweep_id}")
    assert sweep.id == sweep_id and sweep.config["method"] == "grid"
    assert sweep.expected_run_count == 4


def test_ambiguous_bounds():
    config = {"method": "random", "parameters": {"lr": {"min": 0, "max": 0.1}}}
    with pytest.raises(CommError) as e:
        wandb.sweep(config)
    message = (
        "Parameter lr is ambiguous, please specify bounds as both floats (for a float_uniform "
        "distribution) or ints (for an int_uniform distribution)."
    )
    assert str(e.value) == message
    # As in wandb 0.31: raised while handling the ValueError, so tracebacks show both.
    assert isinstance(e.value.__context__, ValueError) and str(e.value.__context__) == message


def test_min_max_fill_distribution():
    sweep_id = wandb.sweep(
        {"method": "random", "parameters": {"a": {"min": 1, "max": 3}, "b": {"min": 0.0, "max": 1.0}}}
    )
    params = wandb.Api().sweep(sweep_id).config["parameters"]
    assert params["a"]["distribution"] == "int_uniform"
    assert params["b"]["distribution"] == "uniform"


def test_schema_violation_warning_lines(capsys):
    config = {
        "method": "random",
        "metric": {"name": "x", "goal": "up"},
        "parameters": {"lr": {"values": [1, 2]}},
    }
    wandb.sweep(config)
    err = capsys.readouterr().err
    assert err == (
        "wandb: WARNING Malformed sweep config detected! This may cause your sweep to behave in unexpected ways.\n"
        "wandb: WARNING To avoid this, please fix the sweep config schema violations below:\n"
        "wandb: WARNING   Violation 1. 'up' is not one of ['minimize', 'maximize']\n"
    )


def test_server_only_keys_do_not_warn(capsys):
    wandb.sweep({**GRID, "run_cap": 3, "program": "train.py", "name": "n", "description": "d"})
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "config, message",
    [
        (
            {"method": "bayes", "parameters": {"lr": {"min": 0.0, "max": 1.0}}},
            'Invalid sweep config: Bayesian search requires "metric" section',
        ),
        (
            {"method": "grid", "parameters": {"lr": {"min": 0.0, "max": 1.0}}},
            "Invalid sweep config: Parameter lr is a disallowed type with grid search.",
        ),
        ({"parameters": {"lr": {"values": [1]}}}, "Invalid sweep config: Sweep config must contain method section"),
        (
            {"method": "random", "parameters": {"lr": {"valuez": [1]}}},
            "Invalid sweep config: invalid hyperparameter configuration: lr",
        ),
    ],
)
def test_unrunnable_configs_fail_at_creation(config, message):
    with pytest.raises(CommError) as e:
        wandb.sweep(config)
    assert str(e.value).startswith(message)
    from wandb import _store

    assert _store.connect().execute("SELECT COUNT(*) FROM sweeps").fetchone()[0] == 0


def test_agent_function_grid_exhaustion_and_output(capsys):
    sweep_id = wandb.sweep(GRID)
    seen = []

    def train():
        run = wandb.init()
        seen.append((run.config.lr, run.config.batch))
        run.log({"val_loss": run.config.lr})

    wandb.agent(sweep_id, function=train)
    assert sorted(seen) == [(0.01, 16), (0.01, 32), (0.1, 16), (0.1, 32)]
    err = capsys.readouterr().err
    runs = wandb.Api().sweep(sweep_id).runs
    assert [r.state for r in runs] == ["finished"] * 4
    first = runs[0]
    assert (
        f"wandb: Agent Starting Run: {first.id} with config:\n"
        f"wandb: \tbatch: {first.config['batch']}\n"
        f"wandb: \tlr: {first.config['lr']}\n"
    ) in err
    assert err.endswith("wandb: Sweep Agent: Waiting for job.\nwandb: Sweep Agent: Exiting.\n")
    assert all(r.metadata["launched_by"] == "agent-function" for r in runs)


def test_agent_count_includes_failures_and_error_line(capsys):
    sweep_id = wandb.sweep(GRID)
    calls = []

    def train():
        run = wandb.init()
        calls.append(run.id)
        if len(calls) == 1:
            raise RuntimeError("first trial breaks")
        run.log({"val_loss": 1.0})

    wandb.agent(sweep_id, function=train, count=2)
    assert len(calls) == 2
    runs = wandb.Api().sweep(sweep_id).runs
    assert [r.state for r in runs] == ["failed", "finished"]
    err = capsys.readouterr().err
    assert f"wandb: ERROR Run {calls[0]} errored: first trial breaks\n" in err
    assert "RuntimeError: first trial breaks" in err  # the traceback is printed first


def test_agent_stops_when_flapping(capsys):
    sweep_id = wandb.sweep({"method": "random", "parameters": {"x": {"values": [1, 2]}}})

    def train():
        wandb.init()
        raise ValueError("always")

    wandb.agent(sweep_id, function=train, count=10)
    assert len(wandb.Api().sweep(sweep_id).runs) == 3
    err = capsys.readouterr().err
    assert "wandb: ERROR Detected 3 failed runs in the first 60 seconds, killing sweep.\n" in err


def test_sweep_params_override_and_lock(capsys):
    sweep_id = wandb.sweep({"method": "grid", "parameters": {"lr": {"values": [0.5]}}})

    def train():
        run = wandb.init(config={"lr": 0.1, "epochs": 3})
        assert run.config.lr == 0.5 and run.config.epochs == 3
        run.config.update({"lr": 0.9})
        run.config.lr = 0.8
        assert run.config.lr == 0.5

    wandb.agent(sweep_id, function=train)
    err = capsys.readouterr().err
    assert err.count("wandb: WARNING Config item 'lr' was locked by 'sweep' (ignored update).\n") == 2


def test_sweep_run_ignores_project_argument(capsys):
    sweep_id = wandb.sweep({"method": "grid", "parameters": {"lr": {"values": [0.5]}}}, project="sp")

    def train():
        run = wandb.init(project="elsewhere")
        assert run.project == "sp" and run.sweep_id == sweep_id

    wandb.agent(sweep_id, function=train)
    assert "wandb: WARNING Ignoring project 'elsewhere' when running a sweep." in capsys.readouterr().err


@pytest.mark.parametrize("form", ["{id}", "{project}/{id}", "{entity}/{project}/{id}"])
def test_sweep_id_forms(form):
    sweep_id = wandb.sweep({"method": "grid", "parameters": {"lr": {"values": [1]}}}, project="proj")
    ran = []
    path = form.format(id=sweep_id, project="proj", entity="mock-entity")
    project = None if "{project}" in form else "proj"
    wandb.agent(path, function=lambda: ran.append(wandb.init().config.lr), project=project)
    assert ran == [1]


def test_bad_sweep_id_form(capsys):
    assert wandb.agent("a/b/c/d", function=lambda: None) is None
    assert capsys.readouterr().err == (
        "wandb: ERROR Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep\n"
    )


def test_unknown_sweep():
    with pytest.raises(CommError, match="Could not find sweep"):
        wandb.agent("nosuchid", function=lambda: None)


def test_agent_argument_checks():
    with pytest.raises(TypeError, match="function parameter must be callable!"):
        wandb.agent("x", function=42)
    with pytest.raises(ValueError, match="max_consecutive_failed_runs must be at least 1"):
        wandb.agent("x", function=lambda: None, max_consecutive_failed_runs=0)


def test_run_cap_holds():
    sweep_id = wandb.sweep({"method": "random", "run_cap": 3, "parameters": {"x": {"min": 0.0, "max": 1.0}}})
    wandb.agent(sweep_id, function=lambda: wandb.init(), count=10)
    assert len(wandb.Api().sweep(sweep_id).runs) == 3


def test_random_sampling_types():
    sweep_id = wandb.sweep(
        {
            "method": "random",
            "parameters": {
                "opt": {"values": ["adam", "sgd"]},
                "layers": {"min": 1, "max": 4},
                "lr": {"min": 0.001, "max": 0.1},
            },
        }
    )
    wandb.agent(sweep_id, function=lambda: wandb.init(), count=5)
    for run in wandb.Api().sweep(sweep_id).runs:
        assert run.config["opt"] in ("adam", "sgd")
        assert isinstance(run.config["layers"], int) and 1 <= run.config["layers"] <= 4
        assert isinstance(run.config["lr"], float) and 0.001 <= run.config["lr"] <= 0.1


def test_bayes_with_metric_runs():
    sweep_id = wandb.sweep(
        {
            "method": "bayes",
            "metric": {"name": "loss", "goal": "minimize"},
            "parameters": {"x": {"min": -1.0, "max": 1.0}},
        }
    )

    def train():
        run = wandb.init()
        run.log({"loss": run.config.x**2})

    wandb.agent(sweep_id, function=train, count=3)
    runs = wandb.Api().sweep(sweep_id).runs
    assert len(runs) == 3 and all(r.state == "finished" for r in runs)


def test_missing_metric_diagnostic_and_best_run(capsys):
    sweep_id = wandb.sweep(GRID)
    calls = []

    def train():
        run = wandb.init()
        calls.append(run.id)
        n = len(calls)
        if n == 1:
            run.log({"val_loss": {"val_acc": 0.9, "val_loss": 0.3}})
        elif n == 2:
            run.log({"acc": 1.0})
        elif n == 3:
            run.log({"val_loss": 0.5})
        else:
            run.log({"val_loss": 0.7})

    wandb.agent(sweep_id, function=train)
    err = capsys.readouterr().err
    assert (
        f"wandb: WARNING (mock) Run {calls[0]} finished without a numeric value for the sweep metric "
        "'val_loss'; it logged a dict with keys ['val_acc', 'val_loss'] under 'val_loss' instead.\n"
    ) in err
    assert (
        f"wandb: WARNING (mock) Run {calls[1]} finished without a numeric value for the sweep metric "
        "'val_loss'; it never logged 'val_loss'.\n"
    ) in err
    assert err.count("sweep metric 'val_loss'") == 2
    sweep = wandb.Api().sweep(sweep_id)
    best = sweep.best_run()
    assert best.id == calls[2]
    assert "wandb: Sorting runs by +summary_metrics.val_loss\n" in capsys.readouterr().err
    assert sweep.best_run(order="-val_loss").id == calls[3]


def test_best_run_none_when_no_numeric_values():
    sweep_id = wandb.sweep(GRID)
    wandb.agent(sweep_id, function=lambda: wandb.init().log({"val_loss": "n/a"}), count=2)
    assert wandb.Api().sweep(sweep_id).best_run() is None


def test_function_agent_param_file_and_env(tmp_path):
    sweep_id = wandb.sweep({"method": "grid", "parameters": {"lr": {"values": [0.01]}}})
    seen = {}

    def train():
        import os

        seen.update({k: os.environ.get(k) for k in ("WANDB_SWEEP_ID", "WANDB_RUN_ID", "WANDB_SWEEP_PARAM_PATH")})
        seen["file"] = open(os.environ["WANDB_SWEEP_PARAM_PATH"]).read()
        wandb.init()

    wandb.agent(sweep_id, function=train)
    run_id = wandb.Api().sweep(sweep_id).runs[0].id
    assert seen["WANDB_SWEEP_ID"] == sweep_id and seen["WANDB_RUN_ID"] == run_id
    assert seen["WANDB_SWEEP_PARAM_PATH"] == str(tmp_path / "wandb" / f"sweep-{sweep_id}" / f"config-{run_id}.yaml")
    assert seen["file"] == "wandb_version: 1\n\nlr:\n  value: 0.01\n"
