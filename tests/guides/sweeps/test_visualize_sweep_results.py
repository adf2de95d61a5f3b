"""docs/{en,es}/guides/sweeps/visualize-sweep-results.md: a sweep read with wandb.Api() and drawn with matplotlib."""

from __future__ import annotations

import re

PROJECT = {"en": "plots-demo", "es": "demo-graficos"}
PLACEHOLDER = {"en": "your-entity/plots-demo/sweepID", "es": "tu-entidad/demo-graficos/sweepID"}
FIGURES = {
    "fig-by-param": "metric_by_hyperparameter.svg",
    "fig-parallel": "parallel_coordinates.svg",
    "fig-best-so-far": "best_so_far.svg",
}
LABELS = {  # words each language's figures must show, one per figure
    "en": {"fig-by-param": "best run", "fig-parallel": "val_loss (final)", "fig-best-so-far": "best so far"},
    "es": {"fig-by-param": "mejor run", "fig-parallel": "val_loss (final)", "fig-best-so-far": "mejor hasta ahora"},
}


def test_plot_a_sweep_and_compare_the_figures(listings, lang):
    created = listings.run("run-sweep", lang).check()
    sweep_id = created.sweep_id()
    path = f"mock-entity/{PROJECT[lang]}/{sweep_id}"
    assert not any((created.cwd / f).exists() for f in FIGURES.values())  # not copied: drawn below

    result = listings.shell(["plot-command"], lang, replace={PLACEHOLDER[lang]: path}).check()
    listings.ran("plot")  # the command above runs plot_sweep.py
    listings.check_output("plot-output", lang, result.stdout)
    assert result.stderr.strip() == "wandb: Sorting runs by +summary_metrics.val_loss"  # sweep.best_run()
    for key, name in FIGURES.items():
        svg = (result.cwd / name).read_text(encoding="utf-8")
        assert "<dc:date>" not in svg and 'id="p' in svg  # no date; clip paths named by the salted hash
        assert f"<!-- {LABELS[lang][key]} -->" in svg  # matplotlib names each drawn text in a comment
        listings.check_figure(key, lang, result)

    # What the script drew agrees with the store, read independently.
    sweep = created.api().sweep(path)
    runs = sweep.runs
    assert len(runs) == 12 and all(r.state == "finished" for r in runs)
    best = min(runs, key=lambda r: r.summary["val_loss"])
    assert 0.001 <= best.config["lr"] <= 0.01  # "a learning rate of a few thousandths", as the page says
    rows = runs[0].history(pandas=False)  # the page's hint for learning curves: one dict per wandb.log
    assert [r["epoch"] for r in rows] == [1, 2, 3] and rows[-1]["val_loss"] == runs[0].summary["val_loss"]
    assert re.search(rf": 12 \w+ \w+, .* {best.id}$", result.stdout.splitlines()[0])
