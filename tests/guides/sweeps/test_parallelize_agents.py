"""docs/{en,es}/guides/sweeps/parallelize-agents.md: agents in parallel, one per GPU, on several
machines, and how `--count` and `run_cap` add up across agents.

No GPU is needed: each run records the CUDA_VISIBLE_DEVICES its process saw, and the test
reads it back from the runs' configs. The agents run as a reader runs them, in processes of
their own; the sweep is created by the page's `wandb sweep` command through the CLI's entry
point in this process, where the sweep engine is already imported (it takes seconds to load).
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

PROJECT = {"en": "parallel-demo", "es": "demo-paralelo"}
PLACEHOLDER = {"en": "your-entity/parallel-demo/sweepID", "es": "tu-entidad/demo-paralelo/sweepID"}
NOT_SET = {"en": "not set", "es": "sin definir"}


@pytest.fixture
def create_sweep(listings, lang, mock_wandb, monkeypatch):
    """Run the page's `wandb sweep ... config.yaml` in the example's folder; return the sweep's path."""
    workdir = listings.workdir(lang)
    monkeypatch.setenv("WANDB_DIR", str(workdir))  # the store the agents' processes will use
    monkeypatch.chdir(workdir)

    def create() -> str:
        return f"mock-entity/{PROJECT[lang]}/{listings.sweep_created_here(lang)}"

    return create


def test_one_agent_per_gpu_and_run_cap_across_agents(listings, lang, create_sweep):
    path = create_sweep()
    result = listings.shell(["per-gpu"], lang, replace={PLACEHOLDER[lang]: path}).check()
    listings.ran("train")
    assert result.stderr.count("Starting wandb agent") == 2

    sweep = result.api().sweep(path)
    runs = sweep.runs
    # Two agents with --count 2 could run 4; run_cap: 3 stops the sweep at 3, in all.
    assert len(runs) == 3
    assert sweep.state == "FINISHED"
    assert all(r.state == "finished" for r in runs)
    assert len({r.config["lr"] for r in runs}) == 3
    # Each agent's runs saw that agent's CUDA_VISIBLE_DEVICES, and only it.
    seen = defaultdict(set)
    for run in runs:
        seen[run.metadata["agent_pid"]].add(run.config["cuda_visible_devices"])
    assert sorted(map(sorted, seen.values())) == [["0"], ["1"]], dict(seen)
    # Neither agent went past its --count: one ran two runs, the other the remaining one.
    per_agent = sorted(sum(r.metadata["agent_pid"] == pid for r in runs) for pid in seen)
    assert per_agent == [1, 2]
    announced = sorted(re.findall(r"Agent Starting Run: (\w+)", result.stderr))
    assert announced == sorted(r.id for r in runs)


def test_an_agent_on_another_machine_joins_the_sweep_by_its_full_path(listings, lang, create_sweep):
    path = create_sweep()
    # Another machine, whose defaults name another entity and project: the full path wins.
    other = {"WANDB_ENTITY": "someone-else", "WANDB_PROJECT": "another-project"}
    result = listings.shell(["machine"], lang, replace={PLACEHOLDER[lang]: path}, env=other).check()
    # It found the sweep (it would print "Could not find sweep", read by no test, otherwise).
    sweep = result.api().sweep(path)
    runs = sweep.runs
    # No --count: the agent runs until the sweep's run_cap, then exits.
    assert len(runs) == 3 and sweep.state == "FINISHED"
    assert all(r.entity == "mock-entity" and r.project == PROJECT[lang] for r in runs)
    assert all(r.state == "finished" for r in runs)
    # Without CUDA_VISIBLE_DEVICES, the program records that it was not set.
    assert {r.config["cuda_visible_devices"] for r in runs} == {NOT_SET[lang]}
    assert re.findall(r"Agent Starting Run: (\w+)", result.stderr) == [r.id for r in runs]
