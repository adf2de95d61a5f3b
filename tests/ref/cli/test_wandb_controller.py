"""docs/{en,es}/ref/cli/wandb-controller.md: `wandb controller` on a sweep that has no local controller."""

from __future__ import annotations

import re

from inprocess import run_cli_here
from ref.refcheck import error_tail, used_as_input


def test_controller_refuses_a_sweep_without_local_controller(listings, lang, mock_wandb, monkeypatch):
    created = run_cli_here(listings, lang, "create", monkeypatch).check()
    sweep_id = created.sweep_id()
    path = re.search(r"wandb agent (\S+)$", created.stderr, re.M)[1]
    config = used_as_input(listings, lang, "config")
    assert created.api().sweep(path).config == config and "controller" not in config
    result = listings.shell(["controller"], lang, replace={"wandb controller sweepID": f"wandb controller {sweep_id}"})
    result.check(returncode=1)
    assert result.stdout == "Starting wandb controller...\n"
    result.expect("Traceback (most recent call last):", count=1)
    tail = error_tail(result.stderr)
    assert tail == "wandb.wandb_controller.ControllerError: Only sweeps with a local controller are currently supported.\n"
    listings.check_output("controller-error", lang, tail)
    assert created.api().sweep(path).runs == []
