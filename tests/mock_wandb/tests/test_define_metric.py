"""run.define_metric (summary rules, checks, messages) and wandb.Histogram."""

from __future__ import annotations

import math

import pytest

import wandb
from wandb.errors import Error


def _summary(run) -> dict:
    return {k: v for k, v in run.summary._as_dict().items() if not k.startswith("_")}


def test_summary_operations_replace_the_last_value():
    run = wandb.init(project="p")
    for name, ops in [("a", "min"), ("b", "max"), ("c", "mean"), ("d", "last"), ("e", "first"), ("g", "min,max")]:
        run.define_metric(name, summary=ops)
    for v in [3.5, 1.5, 2.5]:
        run.log({k: v for k in "abcdeg"} | {"plain": v})
    assert _summary(run) == {
        "a": {"min": 1.5},
        "b": {"max": 3.5},
        "c": {"mean": 2.5},
        "d": {"last": 2.5},
        "e": {"first": 3.5},
        "g": {"max": 3.5, "min": 1.5},
        "plain": 2.5,
    }
    run.finish()
    stored = wandb.Api().run(f"p/{run.id}")
    assert stored.summary["a"] == {"min": 1.5}
    assert [row["a"] for row in stored.history()] == [3.5, 1.5, 2.5]  # the history keeps every value


def test_none_removes_the_key_and_copy_keeps_the_last_value_with_a_warning(capsys):
    run = wandb.init(project="p")
    run.define_metric("a", summary="none,min")
    capsys.readouterr()
    run.define_metric("b", summary="copy")
    run.define_metric("b2", summary="copy")
    assert capsys.readouterr().err == "wandb: WARNING define_metric(summary='copy') is deprecated and will be removed.\n"
    run.log({"a": 1.5, "b": 2.5})
    run.log({"a": 0.5, "b": 3.5})
    assert "a" not in run.summary and run.summary["b"] == 3.5


def test_globs_case_values_logged_before_and_non_numbers():
    run = wandb.init(project="p")
    run.log({"x": 0.5, "val_loss": 9.5})
    run.define_metric("val_*", summary="MAX")
    run.define_metric("val_acc", summary="min")  # the exact name wins over the glob
    run.define_metric("x", summary="min")
    run.define_metric("m", summary="mean")
    for v in [3.5, 1.5]:
        run.log({"x": v, "val_loss": v, "val_acc": v, "m": v})
    run.log({"m": "n/a", "x": None})
    run.log({"x": float("nan")})
    summary = _summary(run)
    assert summary["val_loss"] == {"max": 9.5}  # logged before define_metric: counted
    assert summary["val_acc"] == {"min": 1.5}
    assert summary["m"] == {"mean": 2.5}  # the string is left out
    assert math.isnan(summary["x"]["min"])  # a NaN wins, as in wandb-core


def test_second_definition_adds_unless_overwrite():
    run = wandb.init(project="p")
    run.define_metric("a", summary="min")
    run.define_metric("a", summary="max")
    run.define_metric("b", summary="min")
    run.define_metric("b", summary="max", overwrite=True)
    for v in [2.5, 0.5]:
        run.log({"a": v, "b": v})
    assert _summary(run) == {"a": {"max": 2.5, "min": 0.5}, "b": {"max": 2.5}}


def test_setting_the_summary_yourself_takes_the_key_over():
    run = wandb.init(project="p")
    run.define_metric("f", summary="min")
    run.log({"f": 2.5})
    run.summary["f"] = 9.5
    run.log({"f": 1.5})
    run.log({"f": 3.5})
    assert run.summary["f"] == 3.5


def test_step_metric_is_synced_into_rows():
    run = wandb.init(project="p")
    metric = run.define_metric("c", step_metric="epoch")
    assert (metric.step_metric, metric.step_sync, metric.summary) == ("epoch", True, None)
    run.define_metric("e", step_metric="other", step_sync=False)
    run.log({"c": 1.5})
    run.log({"epoch": 4.5})
    run.log({"c": 2.5, "e": 0.5})
    run.finish()
    rows = wandb.Api().run(f"p/{run.id}").history()
    assert [r.get("epoch") for r in rows] == [0, 4.5, 4.5]
    assert all("other" not in r for r in rows)
    assert wandb.Api().run(f"p/{run.id}").summary["epoch"] == 4.5


def test_metric_object_and_checks():
    run = wandb.init(project="p")
    m = run.define_metric("h", summary="min,max", hidden=True)
    assert type(m).__module__ == "wandb.sdk.wandb_metric" and type(m).__name__ == "Metric"
    assert (m.name, m.summary, m.step_metric, m.step_sync, m.hidden) == ("h", ("min", "max"), None, False, True)
    assert run.define_metric("i", step_metric=m).step_metric == "h"
    with pytest.raises(Error, match=r"^define_metric\(\) requires non-empty name argument$"):
        run.define_metric("")
    with pytest.raises(Error, match=r"^Unhandled define_metric\(\) arg: name \(glob suffixes only\): a\*b$"):
        run.define_metric("a*b")
    with pytest.raises(Error, match=r"^Unhandled define_metric\(\) arg: summary op: best$"):
        run.define_metric("z", summary="best")
    with pytest.raises(Error, match=r"^Unhandled define_metric\(\) arg: hidden type: str$"):
        run.define_metric("z", hidden="yes")
    with pytest.raises(Error, match=r"^Unhandled define_metric\(\) arg: name type: int$"):
        run.define_metric(5)
    with pytest.raises(TypeError, match=r"^argument of type 'int' is not iterable$"):
        run.define_metric("z", summary=3)  # the real SDK looks for "copy" in it first


def test_define_metric_before_init_and_after_finish():
    with pytest.raises(Error, match=r"^You must call wandb.init\(\) before wandb.define_metric\(\)$"):
        wandb.define_metric("a", summary="min")
    run = wandb.init(project="p")
    wandb.define_metric("a", summary="min")  # the module function is the run's method now
    run.log({"a": 2.5})
    run.log({"a": 1.5})
    assert run.summary["a"] == {"min": 1.5}
    run.finish()
    with pytest.raises(wandb.errors.UsageError, match="is finished"):
        run.define_metric("b")


# --- wandb.Histogram ---------------------------------------------------------------


def test_histogram_from_a_sequence_uses_64_bins_by_default():
    h = wandb.Histogram([0.0, 1.0, 1.0, 2.0])
    assert len(h.histogram) == 64 and len(h.bins) == 65
    assert sum(h.histogram) == 4 and h.bins[0] == 0.0 and h.bins[-1] == 2.0
    h3 = wandb.Histogram([1, 2, 2, 3, 3, 3], num_bins=3)
    assert h3.histogram == [1, 2, 3]
    assert h3.to_json() == {"_type": "histogram", "values": [1, 2, 3], "bins": h3.bins}
    assert isinstance(h3, wandb.sdk.data_types.base_types.wb_value.WBValue)


def test_histogram_from_np_histogram_and_errors():
    import numpy as np

    h = wandb.Histogram(np_histogram=np.histogram([1, 2, 3, 4], bins=2))
    assert (h.histogram, h.bins) == ([2, 2], [1.0, 2.5, 4.0])
    assert wandb.Histogram(np_histogram=([1, 2], [0, 1, 2])).histogram == [1, 2]
    with pytest.raises(ValueError, match=r"^The maximum length of a histogram is 512$"):
        wandb.Histogram(list(range(1000)), num_bins=513)
    with pytest.raises(ValueError, match=r"^len\(bins\) must be len\(histogram\) \+ 1$"):
        wandb.Histogram(np_histogram=([1, 2], [0, 1]))
    with pytest.raises(ValueError, match=r"^Expected np_histogram to be a tuple of \(values, bin_edges\) or sequence"):
        wandb.Histogram(np_histogram=([1, 2],))
    with pytest.raises(ValueError, match=r"^`bins` must be positive, when an integer$"):
        wandb.Histogram([1.0], num_bins=0)


def test_logged_histogram_is_stored_as_the_real_sdk_stores_it():
    run = wandb.init(project="p")
    run.log({"weights": wandb.Histogram([1, 2, 2, 3, 3, 3], num_bins=3), "loss": 0.5})
    run.log({"weights": wandb.Histogram([0.5, 0.5], num_bins=1), "loss": 0.25})
    run.finish()
    stored = wandb.Api().run(f"p/{run.id}")
    first, second = stored.history()
    assert first["weights"] == {"_type": "histogram", "values": [1, 2, 3], "bins": [1.0, 1.6666666666666665, 2.333333333333333, 3.0]}
    assert stored.summary["weights"] == {"_type": "histogram", "values": [2], "bins": [0.0, 1.0]}
    assert second["weights"]["values"] == [2]


def test_import_wandb_does_not_load_numpy():
    from mockhelpers import run_python

    proc = run_python("import sys, wandb; wandb.Histogram; print('numpy' in sys.modules)")
    assert proc.stdout.strip() == "False", proc.stderr


def test_best_run_ranks_by_a_value_inside_a_summary_dict():
    sweep_id = wandb.sweep(
        {"method": "grid", "metric": {"name": "loss"}, "parameters": {"lr": {"values": [0.1, 0.2, 0.3]}}}, project="p"
    )

    def train():
        with wandb.init() as run:
            run.define_metric("acc", summary="max")
            for v in (run.config.lr, run.config.lr * 2, 0.0):
                run.log({"acc": v, "loss": 1 - v})

    wandb.agent(sweep_id, function=train)
    sweep = wandb.Api().sweep(f"p/{sweep_id}")
    assert sweep.best_run(order="acc.max").config["lr"] == 0.3
    assert sweep.best_run(order="+acc.max").config["lr"] == 0.1
    assert sweep.best_run(order="acc.min") is None  # no such value in any summary


def test_a_summary_rule_on_the_sweep_metric_is_reported(capsys):
    sweep_id = wandb.sweep({"method": "grid", "metric": {"name": "loss"}, "parameters": {"a": {"values": [1, 2]}}}, project="p")

    def train():
        with wandb.init() as run:
            run.define_metric("loss", summary="min" if run.config.a == 1 else "none")
            run.log({"loss": 0.5})
            run.log({"loss": 0.25})

    capsys.readouterr()
    wandb.agent(sweep_id, function=train)
    runs = wandb.Api().sweep(f"p/{sweep_id}").runs
    err = capsys.readouterr().err
    assert (
        f"wandb: WARNING (mock) Run {runs[0].id} finished without a numeric value for the sweep metric 'loss';"
        " a define_metric summary rule put a dict with keys ['min'] under 'loss' instead.\n"
    ) in err
    assert (
        f"wandb: WARNING (mock) Run {runs[1].id} finished without a numeric value for the sweep metric 'loss';"
        " define_metric(summary='none') left 'loss' out of its summary.\n"
    ) in err
    assert wandb.Api().sweep(f"p/{sweep_id}").best_run() is None
