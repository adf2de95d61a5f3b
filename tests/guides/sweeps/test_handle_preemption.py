"""docs/{en,es}/guides/sweeps/handle-preemption.md: a trial that handles SIGTERM, marks its run
preempting and exits with 128 + signum; `wandb agent --forward-signals` passing the agent's SIGTERM on
to it; the preempted run requeued to the next agent of the resumed sweep, same ID and config, going
on from its checkpoint; SIGKILL; and the signal handler that cannot work with `wandb.agent`.

Real signals go to real processes: the test sends SIGTERM to the agent's process (as a scheduler
does), SIGKILL to a trial's. The trials stop themselves at a breakpoint before they log their second
epoch (`stop_at`, see harness.PageListings.start), so every signal arrives at a known point of the
program; a signal sent to a stopped trial is handled when the test lets it go on (SIGCONT). Every wait
is for an event: a line the agent prints, a trial stopping, a process exiting.
"""

from __future__ import annotations

import json
import os
import re
import signal

import pytest

from harness import SEED, wait_for
from ref.refcheck import wandb_lines

PROJECT = {"en": "preemption-demo", "es": "demo-interrupcion"}
PLACEHOLDER = {"en": "your-entity/preemption-demo/sweepID", "es": "tu-entidad/demo-interrupcion/sweepID"}
BREAKPOINT = ("train", "log", 2)  # the second time a trial reaches `run.log(`
WAITING = "SIGTERM received. Waiting for runs to end. Send SIGTERM again to terminate them."


@pytest.fixture
def create_sweep(listings, lang, mock_wandb, monkeypatch):
    """Run the page's `wandb sweep ... config.yaml` in the example's folder; return the sweep's path."""
    workdir = listings.workdir(lang)
    monkeypatch.setenv("WANDB_DIR", str(workdir))  # the store the agents' processes will use
    monkeypatch.setenv("WANDB_MOCK_SEED", SEED)  # the same sweep ID as the examples' processes get
    monkeypatch.chdir(workdir)

    def create() -> str:
        return f"mock-entity/{PROJECT[lang]}/{listings.sweep_created_here(lang)}"

    return create


def agent_pid(path: str, run_id: str) -> int:
    """The pid of the sweep's agent that runs `run_id`, once it has told the store so: from
    then on the trial is one of its processes, which the signals it forwards reach."""
    from wandb import _store

    def running():
        return [a for a in _store.sweep_agents(path.split("/")[-1]) if run_id in a["running"]]

    (agent,) = wait_for(running, f"the agent to report {run_id} running")
    return agent["pid"]


def test_preempted_run_is_requeued_and_resumes_from_its_checkpoint(listings, lang, create_sweep, mock_wandb):
    path = create_sweep()
    api = mock_wandb.Api()
    workdir = listings.workdir(lang)
    replace = {PLACEHOLDER[lang]: path}

    # The job runs an agent; its first trial is in its second epoch when the scheduler sends SIGTERM.
    agent = listings.start(["agent"], lang, replace=replace, stop_at=BREAKPOINT)
    trial = agent.stopped()
    (preempted_id,) = [r.id for r in api.sweep(path).runs]
    assert json.loads((workdir / f"checkpoint-{preempted_id}.json").read_text()) == {"epoch": 1}
    os.kill(agent_pid(path, preempted_id), signal.SIGTERM)
    agent.wait_for_stderr(WAITING)  # the agent forwarded it to the trial, and waits for the trial
    os.kill(trial, signal.SIGCONT)  # the trial's handler runs: mark_preempting(), exit 128 + 15
    result = agent.wait().check()
    listings.check_output("agent-output", lang, result.stderr)
    run = api.run(f"{path.rsplit('/', 1)[0]}/{preempted_id}")
    assert run.state == "preempted" and run.exit_code == 128 + signal.SIGTERM
    assert len(api.sweep(path).runs) == 1  # the agent started nothing after the signal

    # The job starts again: the resumed sweep hands the preempted run out first, then the rest
    # of the grid. The requeued run stops at its last epoch, the next one at its second: that
    # one gets SIGKILL, which nothing can handle, and the agent goes on with the third.
    restart = listings.start(["restart"], lang, replace=replace, stop_at=BREAKPOINT)
    os.kill(restart.stopped(), signal.SIGCONT)
    killed = restart.stopped()
    os.kill(killed, signal.SIGKILL)
    os.kill(restart.stopped(), signal.SIGCONT)
    result = restart.wait().check()
    listings.check_output("restart-output", lang, result.stderr)
    listings.check_output("restart-stdout", lang, result.stdout)
    listings.ran("train")

    sweep = api.sweep(path)
    assert sweep.state == "FINISHED"  # the grid is exhausted
    runs = sweep.runs
    assert [r.config["lr"] for r in runs] == [0.001, 0.01, 0.1]
    assert [r.state for r in runs] == ["finished", "crashed", "finished"]
    requeued, crashed, last = runs
    # Same run, same hyperparameters; its second attempt went on from the checkpoint.
    assert requeued.id == preempted_id and requeued.metadata["requeued"] == 1
    assert [row["epoch"] for row in requeued.history()] == [2, 3]
    assert requeued.summary["epoch"] == 3
    assert crashed.metadata["pid"] == killed and crashed.exit_code == -signal.SIGKILL
    assert [row["epoch"] for row in last.history()] == [1, 2, 3]
    started = re.findall(r"Agent Starting Run: (\w+)", result.stderr)
    assert started == [preempted_id, crashed.id, last.id]


def test_a_handler_cannot_be_set_in_a_function_agent(listings, lang):
    result = listings.run("function-handler", lang).check()
    listings.check_output("function-handler-output", lang, wandb_lines(result.stderr))
    # Its traceback twice: printed by the `with wandb.init()` block, then by the agent.
    result.expect("Traceback (most recent call last):", count=2)
    result.expect("ValueError: signal only works in main thread of the main interpreter", count=2)
    sweep = result.api().sweep(f"mock-entity/{PROJECT[lang]}/{result.sweep_id()}")
    (run,) = sweep.runs
    assert run.state == "failed" and run.exit_code == 1
