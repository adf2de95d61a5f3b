"""docs/{en,es}/ref/python/run.md: the Run's attributes, log, summary, finish and context manager."""

from __future__ import annotations

from ref.refcheck import error_tail

PROJECT = {"en": "run-reference", "es": "referencia-run"}


def test_context_manager_logs_and_finishes(listings, lang):
    result = listings.run("context", lang).check()
    listings.check_output("context-output", lang, result.stdout)
    (run,) = result.api().runs(PROJECT[lang])
    assert run.state == "finished" and run.exit_code == 0
    assert run.summary["best_loss"] == 1 / 3 and run.summary["loss"] == 1 / 3
    assert len(run.history()) == 3


def test_exception_in_the_block_fails_the_run_and_propagates(listings, lang):
    result = listings.run("failed", lang).check(returncode=1)
    tail = error_tail(result.stderr)
    message = {"en": "training diverged", "es": "el entrenamiento divergió"}[lang]
    assert tail == f"RuntimeError: {message}\n"
    listings.check_output("failed-error", lang, tail)
    # Printed twice: by the `with` block as it fails the run, then by Python as the script ends.
    result.expect("Traceback (most recent call last):", count=2)
    result.expect(f"RuntimeError: {message}", count=2)
    (run,) = result.api().runs(PROJECT[lang])
    assert run.state == "failed" and run.exit_code == 1
    assert run.summary["loss"] == 0.5


def test_log_after_finish_raises_usage_error(listings, lang):
    result = listings.run("after-finish", lang).check(returncode=1)
    tail = error_tail(result.stderr)
    assert tail.startswith("wandb.errors.errors.UsageError: Run (")
    assert tail.endswith(") is finished. The call to `log` will be ignored. Please make sure that you are using an active run.\n")
    listings.check_output("after-finish-error", lang, tail)
    result.expect("Traceback (most recent call last):", count=1)
    # Uncaught after wandb.init(): the message is also an ERROR line (the page says so).
    assert result.expect("wandb: ERROR ", count=1) == ["wandb: ERROR " + tail.split(": ", 1)[1].rstrip("\n")]
    (run,) = result.api().runs(PROJECT[lang])
    assert [r["loss"] for r in run.history()] == [0.5]


def test_finish_with_exit_code_and_twice(tmp_path, monkeypatch):
    import wandb

    for var in ("WANDB_SWEEP_ID", "WANDB_RUN_ID"):
        monkeypatch.setenv(var, "x")
        monkeypatch.delenv(var)
    monkeypatch.setenv("WANDB_DIR", str(tmp_path))
    run = wandb.init(project="p", id="abc12345")
    assert wandb.run is run and run.path == "mock-entity/p/abc12345"
    run.name = "renamed"
    run.summary.update({"acc": 0.9})
    run.summary.note = "set by attribute"
    assert (run.summary["acc"], run.summary.note) == (0.9, "set by attribute")
    run.finish(exit_code=3)
    run.finish()  # a second finish does nothing
    assert wandb.run is None
    stored = wandb.Api().run("p/abc12345")
    assert (stored.state, stored.exit_code) == ("failed", 3)
    assert stored.summary["acc"] == 0.9 and stored.summary["note"] == "set by attribute"


def test_define_metric_summary_rules(listings, lang):
    result = listings.run("define-metric", lang).check()
    listings.check_output("define-metric-output", lang, result.stdout)
    assert result.stderr == ""
    (run,) = result.api().runs(PROJECT[lang])
    summary = run.summary
    assert summary["loss"] == {"min": 0.4} and summary["acc"] == {"last": 0.7, "max": 0.8}
    assert summary["epoch_loss"] == 0.6 and "lr" not in summary
    assert [row["lr"] for row in run.history()] == [0.01] * 3  # the history keeps every value


def test_define_metric_has_no_best_rule(listings, lang):
    result = listings.run("define-metric-best", lang).check(returncode=1)
    tail = error_tail(result.stderr)
    assert tail == "wandb.errors.errors.Error: Unhandled define_metric() arg: summary op: best\n"
    listings.check_output("define-metric-best-error", lang, tail)
    result.expect("Traceback (most recent call last):", count=1)
    result.expect("wandb: ERROR Unhandled define_metric() arg: summary op: best", count=1)  # uncaught after init
    (run,) = result.api().runs(PROJECT[lang])
    assert run.state == "failed"
