"""docs/{en,es}/ref/python/controller.md: a local controller stepped by hand, with an agent in between."""

from __future__ import annotations

import re

from inprocess import run_here

PROJECT = {"en": "controller-reference", "es": "referencia-controlador"}


def test_step_by_step(listings, lang, mock_wandb, monkeypatch):
    result = run_here(listings, lang, "steps", monkeypatch)
    listings.check_output("steps-output", lang, result.stdout)
    sweep_id = result.sweep_id()
    assert result.stdout.splitlines()[1:] == [
        "INFO: Schedule (lr=0.1)",
        f"Sweep: {sweep_id} (grid) | Runs: 0",
        "INFO: Schedule (lr=0.01)",
        f"Sweep: {sweep_id} (grid) | Runs: 1 (Finished: 1)",
        f"{'Done' if lang == 'en' else 'Terminado'}: False",
    ]
    sweep = result.api().sweep(f"mock-entity/{PROJECT[lang]}/{sweep_id}")
    assert [r.config["lr"] for r in sweep.runs] == [0.1]  # the second proposal waits for an agent
    assert sweep.state == "RUNNING"


def test_controller_errors(mock_wandb):
    import pytest

    from wandb.wandb_controller import ControllerError

    with pytest.raises(ControllerError, match=r"^Can not find sweep$"):
        mock_wandb.controller("abcd1234")
    with pytest.raises(ControllerError, match=r"^Unhandled sweep controller type$"):
        mock_wandb.controller(3)
    tuner = mock_wandb.controller()
    with pytest.raises(ControllerError, match=r"^Must specify or create a sweep before running controller\.$"):
        tuner.step()
    with pytest.raises(ControllerError, match=r"^Must configure sweep before create\.$"):
        tuner.create()
    sweep_id = mock_wandb.sweep({"method": "grid", "parameters": {"a": {"values": [1]}}})
    with pytest.raises(ControllerError, match=r"^Only sweeps with a local controller are currently supported\.$"):
        mock_wandb.controller(sweep_id).run()
