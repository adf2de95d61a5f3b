"""docs/{en,es}/ref/cli/wandb-agent.md: `wandb agent --count 2` runs the sweep's program twice."""

from __future__ import annotations

import re

from ref.refcheck import used_as_input

PROJECT = {"en": "cli-agent-reference", "es": "referencia-cli-agente"}


def test_agent_runs_count_trials_as_processes(listings, lang):
    created = listings.shell(["create"], lang).check()
    path = re.search(r"wandb agent (\S+)$", created.stderr, re.M)[1]
    placeholder = f"your-entity/{PROJECT[lang]}/sweepID"
    result = listings.shell(["agent"], lang, replace={placeholder: path}).check()
    listings.check_output("agent-log", lang, result.stderr)
    listings.check_output("agent-output", lang, result.stdout)

    sweep = result.api().sweep(path)
    config = used_as_input(listings, lang, "config")
    assert sweep.config == config  # the file as written: a grid needs no distribution filled in
    runs = sweep.runs
    assert [r.config for r in runs] == [{"lr": 0.1, "epochs": 2}, {"lr": 0.01, "epochs": 2}]
    assert all(r.state == "finished" for r in runs)
    # Each trial ran train.py (the listing) in its own process, started by the agent.
    assert all(r.metadata["launched_by"] == "agent-cli" for r in runs)
    assert all(r.metadata["program"].endswith(config["program"]) for r in runs)
    assert len({r.metadata["pid"] for r in runs}) == 2
    assert [r.summary["loss"] for r in runs] == [0.1 / 2, 0.01 / 2]
    listings.ran("train")  # run by the agent, checked above


def test_agent_errors(listings, lang):
    missing = listings.command(["wandb", "agent", "nowhere/abc"], lang).check(returncode=1)
    missing.expect("Error: Could not find sweep nowhere/abc", count=1)
    bad = listings.command(["wandb", "agent", "--max-consecutive-failed-runs", "0", "x"], lang).check(returncode=2)
    bad.expect("wandb agent: error: argument --max-consecutive-failed-runs: 0 is not in the range x>=1.", count=1)
