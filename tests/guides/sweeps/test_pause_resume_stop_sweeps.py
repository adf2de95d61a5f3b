"""docs/{en,es}/guides/sweeps/pause-resume-stop-sweeps.md: `wandb sweep --pause/--resume/--stop/
--cancel` while an agent is running a trial, what the agent does in each state, and the sweep's
state afterwards.

The agent runs as a reader runs it, in a process of its own. Its trials stop themselves at a
breakpoint, in their second epoch (`stop_at`, see harness.PageListings.start), so each command is
given while a trial is certainly running; the test lets a trial go on with SIGCONT. What the agent
did is read from the store (its heartbeats, the runs), never guessed from elapsed time. The sweep is
created by the page's `wandb sweep` command through the CLI's entry point in this process, where the
sweep engine is already imported.
"""

from __future__ import annotations

import os
import re
import signal
import time

import pytest

from harness import SEED, wait_for
from ref.refcheck import error_tail, wandb_lines

PROJECT = {"en": "control-demo", "es": "demo-control"}
PLACEHOLDER = {"en": "your-entity/control-demo/sweepID", "es": "tu-entidad/demo-control/sweepID"}
# Trials stop before logging their second epoch (the second time they reach `run.log(`).
BREAKPOINT = ("train", "log", 2)


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


def command(listings, lang, key, path, returncode=0):
    """A `wandb sweep --<state>` listing, on the sweep at `path`; it prints only to stderr."""
    result = listings.shell([key], lang, replace={PLACEHOLDER[lang]: path}).check(returncode)
    assert result.stdout == ""
    return result


def agent_row(path):
    from wandb import _store

    (agent,) = _store.sweep_agents(path.split("/")[-1])
    return agent


def idle_since(path, moment):
    """True once the agent has heartbeated after `moment` with no trial running: it has
    reaped its last trial and seen the sweep's state since."""
    agent = agent_row(path)
    return agent["running"] == [] and (agent["heartbeat_at"] or 0) > moment


def runs(api, path):
    return {r.id: r for r in api.sweep(path).runs}


def test_pause_resume_stop_while_an_agent_runs(listings, lang, create_sweep, mock_wandb):
    path = create_sweep()
    api = mock_wandb.Api()
    agent = listings.start(["agent"], lang, replace={PLACEHOLDER[lang]: path}, stop_at=BREAKPOINT)
    first = agent.stopped()  # the first trial, in its second epoch

    # Pause while the first trial runs.
    paused = command(listings, lang, "pause", path)
    listings.check_output("pause-output", lang, paused.stderr)
    assert paused.stderr == f"wandb: Pausing sweep {path}\nwandb: Done.\n"
    assert api.sweep(path).state == "PAUSED"
    state = listings.run("state", lang, args=(path,)).check()
    listings.check_output("state-output", lang, state.stdout)
    assert state.stdout == "PAUSED\n" and state.stderr == ""

    # The trial goes on to its end; the agent stays, and starts nothing while paused.
    (run_id,) = runs(api, path)
    assert runs(api, path)[run_id].metadata["pid"] == first
    os.kill(first, signal.SIGCONT)
    wait_for(lambda: runs(api, path)[run_id].state == "finished", "the first run to finish")
    finished_at = time.time()
    wait_for(lambda: idle_since(path, finished_at), "the paused agent to heartbeat, idle")
    assert list(runs(api, path)) == [run_id]
    assert agent.proc.poll() is None  # still running, waiting
    assert [row["epoch"] for row in runs(api, path)[run_id].history()] == [1, 2, 3]

    # Resume: the agent starts the next trial of the grid.
    resumed = command(listings, lang, "resume", path)
    listings.check_output("resume-output", lang, resumed.stderr)
    assert api.sweep(path).state == "RUNNING"
    second = agent.stopped()

    # Stop: the running trial finishes, then the agent exits; the grid's third point never runs.
    stopped = command(listings, lang, "stop", path)
    listings.check_output("stop-output", lang, stopped.stderr)
    assert api.sweep(path).state == "FINISHED"
    os.kill(second, signal.SIGCONT)
    result = agent.wait().check()
    listings.check_output("agent-output", lang, result.stderr)
    done = api.sweep(path)
    assert done.state == "FINISHED"
    assert [r.state for r in done.runs] == ["finished", "finished"]
    assert [r.config["lr"] for r in done.runs] == [0.001, 0.01]
    assert all(r.summary["epoch"] == 3 for r in done.runs)
    assert re.findall(r"Agent Starting Run: (\w+)", result.stderr) == [r.id for r in done.runs]
    assert agent_row(path)["state"] == "FINISHED"
    listings.ran("train")

    # A finished sweep cannot be canceled: the command fails, and nothing changes.
    refused = command(listings, lang, "cancel-finished", path, returncode=1)
    listings.check_output("cancel-finished-output", lang, wandb_lines(refused.stderr) + error_tail(refused.stderr))
    refused.expect("Traceback (most recent call last):", count=1)
    assert error_tail(refused.stderr) == "Exception: Sweep already finished.\n"
    assert api.sweep(path).state == "FINISHED"


def test_cancel_kills_the_running_trial(listings, lang, create_sweep, mock_wandb):
    path = create_sweep()
    api = mock_wandb.Api()
    agent = listings.start(["agent"], lang, replace={PLACEHOLDER[lang]: path}, stop_at=BREAKPOINT)
    trial = agent.stopped()

    canceled = command(listings, lang, "cancel", path)
    listings.check_output("cancel-output", lang, canceled.stderr)
    # The agent kills the trial (SIGKILL: no handler, no exit hook runs) and exits.
    result = agent.wait().check()
    assert result.stderr.count("Agent Starting Run:") == 1
    assert not result.diagnostics, result.stderr
    sweep = api.sweep(path)
    assert sweep.state == "CANCELED"
    (run,) = sweep.runs
    assert run.metadata["pid"] == trial
    assert run.state == "crashed" and run.exit_code == -signal.SIGKILL
