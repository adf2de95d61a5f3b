"""The local controller: wandb.controller(), `wandb controller`, `wandb sweep --controller`."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from mockhelpers import run_cli

import wandb
from wandb.wandb_controller import ControllerError

GRID = {
    "method": "grid",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {"lr": {"values": [0.1, 0.01, 0.001]}},
    "controller": {"type": "local"},
}
TRAIN = (
    "import wandb\n"
    "with wandb.init() as run:\n"
    "    for epoch in range(3):\n"
    "        run.log({'loss': run.config.lr * (3 - epoch)})\n"
)


def _train():
    with wandb.init() as run:
        for epoch in range(3):
            run.log({"loss": run.config.lr * (3 - epoch)})


def test_configure_then_create(capsys):
    tuner = wandb.controller()
    assert tuner.sweep_id is None and tuner.sweep_config is None
    tuner.configure_search("grid")
    tuner.configure_program("train.py")
    tuner.configure_parameter("lr", values=[0.1, 0.01])
    tuner.configure_parameter("epochs", value=3)
    tuner.configure_parameter("dropout", min=0.1, max=0.5)
    tuner.configure_parameter("constant")  # no value at all: value None
    tuner.configure_metric("loss", goal="minimize")
    tuner.configure_name("n")
    tuner.configure_description("d")
    tuner.configure_stopping("hyperband", min_iter=3)
    tuner.configure_controller(type="local")
    assert tuner._create == {
        "method": "grid",
        "program": "train.py",
        "parameters": {
            "lr": {"values": [0.1, 0.01]},
            "epochs": {"value": 3},
            "dropout": {"min": 0.1, "max": 0.5},
            "constant": {"value": None},
        },
        "metric": {"name": "loss", "goal": "minimize"},
        "name": "n",
        "description": "d",
        "early_terminate": {"type": "hyperband", "min_iter": 3},
        "controller": {"type": "local"},
    }
    tuner._create["parameters"].pop("dropout")  # a grid cannot enumerate it
    tuner._create["parameters"].pop("constant")
    capsys.readouterr()
    sweep_id = tuner.create()
    assert capsys.readouterr().out == f"Create sweep with ID: {sweep_id}\n"
    sweep = wandb.Api().sweep(sweep_id)
    assert sweep.config["controller"] == {"type": "local"} and sweep.config["early_terminate"]["eta"] == 3


def test_controller_errors():
    with pytest.raises(ControllerError, match=r"^Unhandled sweep controller type$"):
        wandb.controller(5)
    with pytest.raises(ControllerError, match=r"^Can not find sweep$"):
        wandb.controller("nosuch12")
    tuner = wandb.controller()
    with pytest.raises(ControllerError, match=r"^Must specify or create a sweep before running controller\.$"):
        tuner.run()
    with pytest.raises(ControllerError, match=r"^Must configure sweep before create\.$"):
        tuner.create()
    with pytest.raises(ControllerError, match=r"^Program functions are not supported yet$"):
        tuner.configure_program(print)
    with pytest.raises(ControllerError, match=r"^Unhandled sweep program type$"):
        tuner.configure_program(3)
    with pytest.raises(ControllerError, match=r"^Unhandled search type\.$"):
        tuner.configure_search(3)
    with pytest.raises(ControllerError, match=r"^Unhandled stopping type\.$"):
        tuner.configure_stopping(3)
    with pytest.raises(ControllerError, match=r"^Already configured\.$"):
        tuner.configure(GRID)
    other = wandb.controller()
    with pytest.raises(ControllerError, match=r"^Unhandled sweep controller type$"):
        other.configure(3)
    other.configure("method: grid\nparameters:\n  a:\n    values: [1]\n")
    assert other._create == {"method": "grid", "parameters": {"a": {"values": [1]}}}


def test_a_sweep_without_local_controller_is_refused(capsys):
    sweep_id = wandb.sweep({k: v for k, v in GRID.items() if k != "controller"}, project="p")
    tuner = wandb.controller(sweep_id, project="p")
    with pytest.raises(ControllerError, match=r"^Only sweeps with a local controller are currently supported\.$"):
        tuner.step()


def test_sweep_is_found_in_the_default_entity_and_project(monkeypatch):
    sweep_id = wandb.sweep(GRID, project="elsewhere")
    monkeypatch.setenv("WANDB_PROJECT", "uncategorized")
    with pytest.raises(ControllerError, match=r"^Can not find sweep$"):
        wandb.controller(sweep_id)
    assert wandb.controller(sweep_id, project="elsewhere").sweep_id == sweep_id
    path = f"mock-entity/elsewhere/{sweep_id}"
    assert wandb.controller(path).sweep_id == path  # kept as given, like the real one


def test_step_by_step_with_an_agent_in_between(capsys):
    sweep_id = wandb.sweep(GRID, project="p")
    tuner = wandb.controller(sweep_id)
    capsys.readouterr()
    tuner.step()
    tuner.print_actions()
    tuner.print_status()
    assert capsys.readouterr().out == "INFO: Schedule (lr=0.1)\nSweep: %s (grid) | Runs: 0\n" % sweep_id
    while not tuner.done():
        wandb.agent(sweep_id, function=_train, count=1)
        tuner.step()
        tuner.print_actions()
    out = capsys.readouterr().out
    assert re.findall(r"INFO: Schedule \((.*)\)", out) == ["lr=0.01", "lr=0.001"]
    sweep = wandb.Api().sweep(sweep_id)
    assert [r.config["lr"] for r in sweep.runs] == [0.1, 0.01, 0.001]
    assert sweep.state == "FINISHED" and {r.state for r in sweep.runs} == {"finished"}
    tuner.print_status()
    assert capsys.readouterr().out == f"Sweep: {sweep_id} (grid) | Runs: 3 (Finished: 3)\n"
    assert tuner.search() is None  # the grid is exhausted


def test_an_agent_waits_for_the_controller(tmp_path, capsys):
    (tmp_path / "train.py").write_text(TRAIN)
    sweep_id = wandb.sweep(GRID | {"program": "train.py"}, project="p")
    agent = subprocess.Popen(
        [sys.executable, "-m", "wandb", "agent", f"mock-entity/p/{sweep_id}"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        capsys.readouterr()
        wandb.controller(sweep_id).run()  # returns once the sweep is finished
        out = capsys.readouterr().out
    finally:
        _, err = agent.communicate(timeout=120)
    assert agent.returncode == 0, err
    sweep = wandb.Api().sweep(sweep_id)
    assert [r.config["lr"] for r in sweep.runs] == [0.1, 0.01, 0.001]
    assert {r.metadata["agent_pid"] for r in sweep.runs} == {agent.pid}
    assert sweep.state == "FINISHED"
    lines = out.splitlines()
    assert lines[0] == f"Sweep: {sweep_id} (grid) | Runs: 0"
    assert all(re.fullmatch(rf"Sweep: {sweep_id} \(grid\) \| Runs: \d( \(.*\))?", line) for line in lines)


def test_wandb_sweep_controller_creates_and_runs_it(tmp_path):
    (tmp_path / "train.py").write_text(TRAIN)
    (tmp_path / "sweep.yaml").write_text(
        "program: train.py\nmethod: grid\nparameters:\n  lr:\n    values: [0.1, 0.01]\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("WANDB_PROJECT", "WANDB_ENTITY")}
    controller = subprocess.Popen(
        [sys.executable, "-m", "wandb", "sweep", "--controller", "--verbose", "-p", "ctl", "sweep.yaml"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
    )
    head = []
    while not head or not head[-1].startswith("wandb: Run sweep agent with: "):
        line = controller.stderr.readline()
        assert line, f"wandb sweep exited early: {head}"
        head.append(line.rstrip("\n"))
    path = head[-1].split("wandb agent ")[1]
    agent = run_cli("agent", path, cwd=tmp_path, env=env)
    # Read the rest through the same file objects (communicate() would skip what they buffered).
    out = controller.stdout.read()
    err = controller.stderr.read()
    controller.wait(timeout=120)
    assert controller.returncode == 0 and agent.returncode == 0, err + agent.stderr
    sweep_id = path.split("/")[-1]
    assert head == [
        "wandb: Creating sweep from: sweep.yaml",
        f"wandb: Creating sweep with ID: {sweep_id}",
        f"wandb: Run sweep agent with: wandb agent mock-entity/ctl/{sweep_id}",
    ]
    assert err == "wandb: Starting wandb controller...\n"
    assert re.findall(r"INFO: Schedule \((.*)\)", out) == ["lr=0.1", "lr=0.01"]
    sweep = wandb.Api().sweep(path)
    assert sweep.config["controller"] == {"type": "local"}
    assert [r.config["lr"] for r in sweep.runs] == [0.1, 0.01] and sweep.state == "FINISHED"


def test_wandb_controller_command(tmp_path):
    result = run_cli("controller", "nosuch12", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "Starting wandb controller...\n"
    assert result.stderr.endswith("wandb.wandb_controller.ControllerError: Can not find sweep\n")


def test_sweep_file_errors_are_reported_before_creating(tmp_path, capsys):
    from wandb.cli import main

    (tmp_path / "bad.yaml").write_text("method: grid\ncontroller:\n  type: local\nparameters:\n  lr:\n    valuez: [1]\n")
    assert main(["sweep", "bad.yaml"]) == 0  # the real command returns without an exit status
    assert capsys.readouterr().err.splitlines() == [
        "wandb: Creating sweep from: bad.yaml",
        "wandb: ERROR Error in sweep file: Malformed sweep config detected! This may cause your sweep to behave in unexpected ways.",
        "wandb: ERROR To avoid this, please fix the sweep config schema violations below:",
        "wandb: ERROR   Violation 1. {'valuez': [1]} is not valid under any of the given schemas",
        "wandb: ERROR   Violation 2. invalid hyperparameter configuration: lr",
    ]
    from wandb import _store

    assert _store.connect().execute("SELECT COUNT(*) FROM sweeps").fetchone()[0] == 0


def test_local_controller_stops_runs_with_hyperband(capsys):
    config = {
        "method": "grid",
        "metric": {"name": "loss", "goal": "minimize"},
        "early_terminate": {"type": "hyperband", "min_iter": 2, "eta": 3},
        "parameters": {"lr": {"values": [0.1, 0.9]}},
        "controller": {"type": "local"},
    }
    sweep_id = wandb.sweep(config, project="p")
    tuner = wandb.controller(sweep_id)

    def train():
        with wandb.init() as run:
            for epoch in range(6):
                run.log({"loss": run.config.lr * (10 - epoch)})
                tuner.step()  # the controller looks at the runs after each logged row
                tuner.print_actions()
                tuner.print_debug()

    tuner.step()
    wandb.agent(sweep_id, function=train, count=2)
    out = capsys.readouterr().out
    runs = wandb.Api().sweep(sweep_id).runs
    # Decided after the third row; the stop lands in the next log call, after its row.
    assert [(r.state, len(r.history())) for r in runs] == [("finished", 6), ("killed", 4)]
    assert f"INFO: Stop ({runs[1].id})" in out
    assert re.search(rf"DEBUG: lines=\['Bands: 2 = 0\.8.*'Run: {runs[1].id} Step: 3 .* STOP'\] bands=\[2, 6, ", out)
    tuner.step()
    tuner.print_status()
    assert capsys.readouterr().out.endswith(f"Sweep: {sweep_id} (grid,hyperband) | Runs: 2 (Finished: 1, Killed: 1) | Stopped: 1\n")
