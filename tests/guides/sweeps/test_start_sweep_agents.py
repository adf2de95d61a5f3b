"""docs/{en,es}/guides/sweeps/start-sweep-agents.md: wandb.agent, `wandb agent --count`, agents in parallel."""

from __future__ import annotations

import itertools
import re

PROJECT = {"en": "agents-demo", "es": "demo-agentes"}
PLACEHOLDER = {"en": "your-entity/agents-demo/sweepID", "es": "tu-entidad/demo-agentes/sweepID"}
GRID = set(itertools.product([16, 32, 64], [0.01, 0.1]))


def test_function_agent_runs_count_trials(listings, lang):
    result = listings.run("sdk", lang).check()
    listings.check_output("sdk-output", lang, result.stderr)
    sweep = result.api().sweep(f"mock-entity/{PROJECT[lang]}/{result.sweep_id()}")
    runs = sweep.runs
    assert len(runs) == 3  # count=3
    assert [r.state for r in runs] == ["finished"] * 3
    assert len({r.id for r in runs}) == 3
    for run in runs:
        assert run.config["batch_size"] in (16, 32, 64)
        assert 0.001 <= run.config["lr"] <= 0.1
        assert isinstance(run.config["lr"], float)
        assert [row["epoch"] for row in run.history()] == [1, 2, 3]
        assert run.summary["val_loss"] == run.history()[-1]["val_loss"]
    # The printed config of each trial is the one its run recorded.
    announced = re.findall(r"Agent Starting Run: (\w+) with config:", result.stderr)
    assert announced == [r.id for r in runs]


def create_sweep(listings, lang) -> str:
    result = listings.shell(["cli-sweep"], lang).check()
    listings.ran("cli-config")
    return f"mock-entity/{PROJECT[lang]}/{result.sweep_id()}"


def test_cli_agent_stops_after_count(listings, lang):
    path = create_sweep(listings, lang)
    result = listings.shell(["cli-agent"], lang, replace={PLACEHOLDER[lang]: path}).check()
    listings.check_output("cli-agent-output", lang, result.stderr)
    sweep = result.api().sweep(path)
    runs = sweep.runs
    assert len(runs) == 3  # --count 3, out of a grid of 6
    assert all(r.state == "finished" for r in runs)
    # Grid order: the first three combinations, each run by train.py in its own process.
    assert [(r.config["batch_size"], r.config["lr"]) for r in runs] == [(16, 0.01), (16, 0.1), (32, 0.01)]
    assert {r.metadata["launched_by"] for r in runs} == {"agent-cli"}
    assert all(r.summary["epoch"] == 3 for r in runs)
    listings.ran("cli-train")


def test_parallel_agents_share_the_grid_without_duplicates_or_losses(listings, lang):
    path = create_sweep(listings, lang)
    result = listings.shell(["parallel"], lang, replace={PLACEHOLDER[lang]: path}).check()
    runs = result.api().sweep(path).runs
    combos = [(r.config["batch_size"], r.config["lr"]) for r in runs]
    assert len(combos) == len(GRID) == 6  # nothing lost...
    assert set(combos) == GRID  # ...and nothing run twice
    assert len({r.id for r in runs}) == 6
    assert all(r.state == "finished" for r in runs)
    # Three agent processes started, each announcing the runs it started. How the six runs
    # split between them is up to the scheduler (on a busy machine the first agent may run
    # them all before the others ask): the page does not say, and the test does not assert it.
    assert result.stderr.count("Starting wandb agent") == 3
    agents = {r.metadata["agent_pid"] for r in runs}
    assert 1 <= len(agents) <= 3, agents
    assert sorted(re.findall(r"Agent Starting Run: (\w+)", result.stderr)) == sorted(r.id for r in runs)
