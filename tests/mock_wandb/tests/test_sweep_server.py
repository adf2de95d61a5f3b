"""What the sweep's server side does while runs log: nested parameters reach the engine,
metric.target finishes the sweep, Hyperband early termination stops runs through their agents."""

from __future__ import annotations

import itertools
import logging

import pytest
from mockhelpers import run_cli

import wandb

NESTED = {
    "optimizer": {"parameters": {"kind": {"values": ["adam", "sgd"]}, "momentum": {"values": [0.8, 0.9]}}},
    "lr": {"values": [0.1, 0.01]},
}


def _train(metric="loss", values=(1.0,)):
    def train():
        with wandb.init() as run:
            for v in values:
                run.log({metric: v})

    return train


# --- nested parameters ---------------------------------------------------------------


def test_grid_with_nested_parameters_runs_each_point_once_then_ends():
    sweep_id = wandb.sweep({"method": "grid", "parameters": NESTED}, project="p")
    wandb.agent(sweep_id, function=_train(), count=20)
    sweep = wandb.Api().sweep(f"p/{sweep_id}")
    points = [(r.config["lr"], r.config["optimizer"]["kind"], r.config["optimizer"]["momentum"]) for r in sweep.runs]
    assert sorted(points) == sorted(itertools.product([0.1, 0.01], ["adam", "sgd"], [0.8, 0.9]))
    assert sweep.state == "FINISHED"
    assert sweep.expected_run_count == 8


def test_grid_with_two_levels_of_nesting():
    parameters = {"model": {"parameters": {"opt": {"parameters": {"kind": {"values": ["a", "b"]}}}, "depth": {"values": [1, 2]}}}}
    sweep_id = wandb.sweep({"method": "grid", "parameters": parameters}, project="p")
    wandb.agent(sweep_id, function=_train(), count=10)
    runs = wandb.Api().sweep(f"p/{sweep_id}").runs
    assert sorted((r.config["model"]["depth"], r.config["model"]["opt"]["kind"]) for r in runs) == [
        (1, "a"), (1, "b"), (2, "a"), (2, "b")
    ]


def test_random_with_nested_parameters():
    sweep_id = wandb.sweep({"method": "random", "parameters": NESTED}, project="p")
    wandb.agent(sweep_id, function=_train(), count=5)
    runs = wandb.Api().sweep(f"p/{sweep_id}").runs
    assert len(runs) == 5
    assert all(r.config["optimizer"]["kind"] in ("adam", "sgd") for r in runs)


def test_bayes_reads_nested_values_of_earlier_runs(caplog):
    config = {
        "method": "bayes",
        "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"optimizer": {"parameters": {"lr": {"min": 0.001, "max": 0.1}}}, "wd": {"values": [0.1, 0.2]}},
    }
    sweep_id = wandb.sweep(config, project="p")

    def train():
        with wandb.init() as run:
            run.log({"loss": run.config.optimizer["lr"]})

    with caplog.at_level(logging.WARNING):
        wandb.agent(sweep_id, function=train, count=4)
    runs = wandb.Api().sweep(f"p/{sweep_id}").runs
    assert len(runs) == 4 and all(0.001 <= r.config["optimizer"]["lr"] <= 0.1 for r in runs)
    # sweeps 0.2.0 alone logs "Run does not contain parameter optimizer.wbnest[...]..." for every run.
    assert not [r for r in caplog.records if "does not contain parameter" in r.getMessage()]


# --- metric.target ---------------------------------------------------------------------


def test_target_finishes_the_sweep_and_the_run_goes_on(capsys):
    config = {
        "method": "grid",
        "metric": {"name": "loss", "goal": "minimize", "target": 0.2},
        "parameters": {"lr": {"values": [0.5, 0.1, 0.05, 0.01]}},
    }
    sweep_id = wandb.sweep(config, project="p")
    seen_state = []

    def train():
        with wandb.init() as run:
            for epoch in range(3):
                run.log({"loss": run.config.lr * (3 - epoch)})
                seen_state.append(wandb.Api().sweep(f"p/{sweep_id}").state)

    capsys.readouterr()
    wandb.agent(sweep_id, function=train, count=10)
    sweep = wandb.Api().sweep(f"p/{sweep_id}")
    # lr=0.5 logs 1.5, 1.0, 0.5; lr=0.1 logs 0.3, 0.2 (target reached), then 0.1.
    assert [r.config["lr"] for r in sweep.runs] == [0.5, 0.1]
    assert sweep.state == "FINISHED"
    second = sweep.runs[1]
    assert second.state == "finished" and [row["loss"] for row in second.history()] == pytest.approx([0.3, 0.2, 0.1])
    assert seen_state == ["RUNNING"] * 4 + ["FINISHED"] * 2
    assert capsys.readouterr().err.endswith("wandb: Sweep Agent: Waiting for job.\nwandb: Sweep Agent: Exiting.\n")


def test_target_with_maximize_and_a_summary_that_is_not_a_number():
    config = {
        "method": "random",
        "metric": {"name": "acc", "goal": "maximize", "target": 0.9},
        "parameters": {"lr": {"values": [0.1]}},
    }
    sweep_id = wandb.sweep(config, project="p")

    def train():
        with wandb.init() as run:
            run.define_metric("acc", summary="max")  # the summary holds {"max": ...}: no number
            run.log({"acc": 0.95})

    wandb.agent(sweep_id, function=train, count=2)
    assert wandb.Api().sweep(f"p/{sweep_id}").state == "RUNNING"
    sweep_id = wandb.sweep(config, project="p")
    wandb.agent(sweep_id, function=_train("acc", (0.5, 0.91)), count=3)
    sweep = wandb.Api().sweep(f"p/{sweep_id}")
    assert sweep.state == "FINISHED" and len(sweep.runs) == 1


# --- Hyperband -------------------------------------------------------------------------

HYPERBAND = {
    "method": "grid",
    "metric": {"name": "loss", "goal": "minimize"},
    "early_terminate": {"type": "hyperband", "min_iter": 2, "eta": 2},
    "parameters": {"lr": {"values": [0.1, 0.2, 0.9, 0.05]}},
}


def _decreasing(run):
    for epoch in range(6):
        run.log({"loss": run.config.lr * (10 - epoch)})


def test_hyperband_stops_a_function_trial_that_falls_behind(capsys):
    sweep_id = wandb.sweep(HYPERBAND, project="p")

    def train():
        with wandb.init() as run:
            _decreasing(run)

    capsys.readouterr()
    wandb.agent(sweep_id, function=train)
    runs = wandb.Api().sweep(f"p/{sweep_id}").runs
    assert [(r.config["lr"], r.state, len(r.history())) for r in runs] == [
        (0.1, "finished", 6),
        (0.2, "finished", 6),
        (0.9, "killed", 3),  # sweeps 0.2.0: judged at band 2 once it has logged 3 values
        (0.05, "finished", 6),
    ]
    err = capsys.readouterr().err
    # The stop arrives as the bare Exception the real agent raises in the trial's thread:
    # printed by the run's context manager, then by the agent; not reported as an error.
    assert err.count("\nException\n") == 2
    assert "errored" not in err
    assert err.endswith("wandb: Sweep Agent: Waiting for job.\nwandb: Sweep Agent: Exiting.\n")


def test_a_stopped_trial_counts_for_count_but_not_as_a_failure(monkeypatch):
    sweep_id = wandb.sweep(HYPERBAND | {"parameters": {"lr": {"values": [0.1, 0.9, 0.95, 0.99, 0.999, 0.05]}}}, project="p")

    def train():
        with wandb.init() as run:
            _decreasing(run)

    monkeypatch.setenv("WANDB_AGENT_MAX_INITIAL_FAILURES", "1")
    wandb.agent(sweep_id, function=train, count=5, max_consecutive_failed_runs=1)
    states = [r.state for r in wandb.Api().sweep(f"p/{sweep_id}").runs]
    assert len(states) == 5 and states[0] == "finished" and states.count("killed") >= 2


def test_incomplete_hyperband_stops_nothing():
    config = HYPERBAND | {"early_terminate": {"type": "hyperband"}}
    sweep_id = wandb.sweep(config, project="p")

    def train():
        with wandb.init() as run:
            _decreasing(run)

    wandb.agent(sweep_id, function=train)
    assert {r.state for r in wandb.Api().sweep(f"p/{sweep_id}").runs} == {"finished"}


def test_hyperband_stops_a_cli_trial_with_sigterm(tmp_path):
    (tmp_path / "train.py").write_text(
        "import wandb\n"
        "with wandb.init() as run:\n"
        "    for epoch in range(6):\n"
        "        run.log({'loss': run.config.lr * (10 - epoch)})\n"
    )
    # eta 3: with two runs, the second is judged against the better of the two at band 2.
    config = HYPERBAND | {
        "program": "train.py",
        "early_terminate": {"type": "hyperband", "min_iter": 2, "eta": 3},
        "parameters": {"lr": {"values": [0.1, 0.9]}},
    }
    sweep_id = wandb.sweep(config, project="p")
    result = run_cli("agent", f"mock-entity/p/{sweep_id}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    runs = wandb.Api().sweep(f"p/{sweep_id}").runs
    assert [(r.state, len(r.history()), r.exit_code) for r in runs] == [
        ("finished", 6, 0),
        ("killed", 3, -15),  # SIGTERM from the agent, nothing logged after the decision
    ]
    assert "Traceback" not in result.stderr
