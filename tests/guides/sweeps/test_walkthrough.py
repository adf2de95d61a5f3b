"""docs/{en,es}/guides/sweeps/walkthrough.md: one script from a training function to the best run."""

from __future__ import annotations

import re

PROJECT = {"en": "walkthrough-demo", "es": "demo-recorrido"}


def test_the_script_runs_the_grid_and_prints_its_best_run(listings, lang):
    result = listings.shell(["run"], lang).check()  # `python walkthrough.py`, as the page says
    listings.ran("script")
    listings.check_output("output", lang, result.stdout)
    # Only the agent's and best_run()'s informational lines on stderr: a warning or an
    # error would fail the test (the harness reads every line).

    sweep = result.api().sweep(f"mock-entity/{PROJECT[lang]}/{result.sweep_id()}")
    runs = sweep.runs
    assert sweep.state == "FINISHED"  # the agent had no count: the grid ran out
    assert sorted(r.config["lr"] for r in runs) == [0.001, 0.01, 0.1]
    assert all(r.state == "finished" for r in runs)
    assert all([row["epoch"] for row in r.history()] == [1, 2, 3] for r in runs)
    # The printed best run is the one with the lowest final val_loss.
    best = min(runs, key=lambda r: r.summary["val_loss"])
    assert best.config["lr"] == 0.1
    assert f": {best.id}, lr=0.1, val_loss={best.summary['val_loss']:.4f}" in result.stdout
    # The agent announced each run it started, in the grid's order.
    assert re.findall(r"Agent Starting Run: (\w+)", result.stderr) == [r.id for r in runs]
