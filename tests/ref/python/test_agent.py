"""docs/{en,es}/ref/python/agent.md: wandb.agent runs trials in-process, counts them, stops on failures."""

from __future__ import annotations

import re

import pytest

from ref.refcheck import wandb_lines

PROJECT = {"en": "agent-reference", "es": "referencia-agente"}


def test_count_limits_the_trials_and_each_run_gets_its_parameters(listings, lang):
    result = listings.run("count", lang).check()
    listings.check_output("count-log", lang, wandb_lines(result.stderr))
    listings.check_output("count-output", lang, result.stdout)
    sweep_id = result.stdout.splitlines()[0].removeprefix("Create sweep with ID: ")
    sweep = result.api().sweep(f"{PROJECT[lang]}/{sweep_id}")
    runs = sweep.runs
    # count=2 out of a grid of three values: two runs, the first two grid points, both finished.
    assert [r.config["lr"] for r in runs] == [0.1, 0.01]
    assert all(r.state == "finished" and r.config["epochs"] == 2 for r in runs)
    assert all(r.metadata["launched_by"] == "agent-function" for r in runs)
    assert [r.summary["loss"] for r in runs] == [0.1 / 2, 0.01 / 2]
    assert len({r.id for r in runs}) == 2


def test_failing_function_is_reported_and_the_agent_stops_after_three(listings, lang):
    result = listings.run("failing", lang).check()  # the agent itself does not raise
    log = wandb_lines(result.stderr)
    listings.check_output("failing-log", lang, log)
    assert log.count("errored: 'learning_rate'") == 3
    assert "Detected 3 failed runs in the first 60 seconds, killing sweep." in log
    # The tracebacks are printed too, two per failed run: by `with wandb.init()`, then by the agent.
    result.expect("Traceback (most recent call last):", count=6)
    result.expect(re.compile(r"^KeyError: 'learning_rate'$"), count=6)
    sweep_id = result.stdout.splitlines()[0].removeprefix("Create sweep with ID: ")
    runs = result.api().sweep(f"{PROJECT[lang]}/{sweep_id}").runs
    assert [r.state for r in runs] == ["failed"] * 3  # count=5, but only three ran


def test_documented_argument_errors(mock_wandb, capsys):
    import wandb
    from wandb.errors import CommError

    with pytest.raises(TypeError, match=r"^function parameter must be callable!$"):
        wandb.agent("abc", function=42)
    with pytest.raises(TypeError, match=r"^max_consecutive_failed_runs must be an integer or None$"):
        wandb.agent("abc", function=print, max_consecutive_failed_runs=1.5)
    with pytest.raises(ValueError, match=r"^max_consecutive_failed_runs must be at least 1$"):
        wandb.agent("abc", function=print, max_consecutive_failed_runs=0)
    with pytest.raises(CommError, match=r"^Could not find sweep nowhere/abc$"):
        wandb.agent("nowhere/abc", function=print)
    capsys.readouterr()
    assert wandb.agent("a/b/c/d", function=print) is None
    assert capsys.readouterr().err == (
        "wandb: ERROR Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep\n"
    )


def test_max_consecutive_failed_runs_stops_the_agent(mock_wandb, capsys):
    import wandb

    sweep_id = wandb.sweep({"method": "grid", "parameters": {"x": {"values": [1, 2, 3, 4]}}}, project="p")

    def fail():
        wandb.init()
        raise RuntimeError("boom")

    wandb.agent(sweep_id, function=fail, max_consecutive_failed_runs=2)
    err = capsys.readouterr().err
    assert "wandb: ERROR Detected 2 consecutive failed runs, killing sweep." in err
    assert len(wandb.Api().sweep(f"p/{sweep_id}").runs) == 2
