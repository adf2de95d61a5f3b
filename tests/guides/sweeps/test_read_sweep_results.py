"""docs/{en,es}/guides/sweeps/read-sweep-results.md: a sweep's runs, configs, summaries and best run via wandb.Api()."""

from __future__ import annotations

import itertools
import re

from inprocess import run_here

PROJECT = {"en": "results-demo", "es": "demo-resultados"}
PLACEHOLDER = {"en": "your-entity/results-demo/sweepID", "es": "tu-entidad/demo-resultados/sweepID"}


def test_read_runs_configs_summaries_and_best_run(listings, lang):
    created = listings.run("run-sweep", lang).check()
    sweep_id = re.search(r"Create sweep with ID: (\w+)", created.stdout)[1]
    path = f"mock-entity/{PROJECT[lang]}/{sweep_id}"

    result = listings.shell(["read-command"], lang, replace={PLACEHOLDER[lang]: path}).check()
    listings.ran("read")  # the command above runs read_results.py
    listings.check_output("read-output", lang, result.stdout)

    # What the script printed agrees with the store, read independently.
    sweep = created.api().sweep(path)
    runs = sweep.runs
    assert len(runs) == 6 and all(r.state == "finished" for r in runs)
    assert {(r.config["batch_size"], r.config["lr"]) for r in runs} == set(
        itertools.product([32, 64], [0.001, 0.01, 0.1])
    )
    lines = result.stdout.splitlines()
    assert lines[0].endswith(f": 6 runs, {'state' if lang == 'en' else 'estado'} FINISHED")
    for run, line in zip(runs, lines[1:7]):
        assert line.startswith(f"{run.id} finished: lr={run.config['lr']} batch_size={run.config['batch_size']}")
        assert line.endswith(f"val_loss={run.summary['val_loss']:.4f}")
        assert run.summary["val_loss"] == run.history()[-1]["val_loss"]  # the summary holds the last value
    best = min(runs, key=lambda r: r.summary["val_loss"])  # goal: minimize
    assert best.config["lr"] == 0.01
    assert f": {best.id}, val_loss={best.summary['val_loss']:.4f}" in lines[7]
    assert lines[8].endswith(str(best.config))
    assert "Sorting runs by +summary_metrics.val_loss" in result.stderr


def test_best_value_in_the_summary(listings, lang, mock_wandb, monkeypatch):
    result = run_here(listings, lang, "best-value", monkeypatch)
    listings.check_output("best-value-output", lang, result.stdout)
    sweep_id = result.sweep_id()
    project = "best-demo" if lang == "en" else "demo-mejor"
    runs = result.api().sweep(f"mock-entity/{project}/{sweep_id}").runs
    for run in runs:
        losses = [row["val_loss"] for row in run.history()]
        assert losses[-1] > min(losses)  # it overfits: the last value is not the best
        assert run.summary["val_loss"] == min(losses)  # set by the script
        assert run.summary["val_acc"] == {"max": max(row["val_acc"] for row in run.history())}  # define_metric
    assert [r.config["lr"] for r in runs] == [0.001, 0.01, 0.1]
    assert "Sorting runs by +summary_metrics.val_loss" in result.stderr
    assert "Sorting runs by -summary_metrics.val_acc.max" in result.stderr
