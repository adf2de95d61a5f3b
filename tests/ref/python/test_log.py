"""docs/{en,es}/ref/python/log.md: wandb.log rows, commit and step; logging without a run."""

from __future__ import annotations

import pytest

from ref.refcheck import error_tail

PROJECT = {"en": "log-reference", "es": "referencia-log"}


def test_rows_commit_and_step(listings, lang):
    result = listings.run("steps", lang).check()
    listings.check_output("steps-output", lang, result.stdout)
    assert result.stderr == ""
    (run,) = result.api().runs(PROJECT[lang])
    rows = run.history()
    assert [r["_step"] for r in rows] == [0, 1, 2, 3, 10]
    assert rows[3]["val_loss"] == 0.4 and rows[3]["val_acc"] == 0.8
    assert run.summary["loss"] == 1 / 3 and run.summary["lr"] == 0.001


def test_log_before_init_raises(listings, lang):
    result = listings.run("before-init", lang).check(returncode=1)
    tail = error_tail(result.stderr)
    assert tail == "wandb.errors.errors.Error: You must call wandb.init() before wandb.log()\n"
    listings.check_output("before-init-error", lang, tail)
    result.expect("Traceback (most recent call last):", count=1)


@pytest.fixture
def run(mock_wandb):
    return mock_wandb.init(project="p")


def test_documented_errors_and_warnings(run, capsys):
    import wandb

    with pytest.raises(TypeError, match=r"^wandb.log must be passed a dictionary$"):
        wandb.log([("loss", 1)])
    with pytest.raises(TypeError, match=r"^Key values passed to `wandb.log` must be strings.$"):
        wandb.log({1: 0.5})
    wandb.log({"a": 1}, step=5)
    capsys.readouterr()
    wandb.log({"a": 2}, step=3)
    assert capsys.readouterr().err == (
        "wandb: WARNING Tried to log to step 3 that is less than the current step 5. Steps must be monotonically"
        " increasing, so this data will be ignored. See https://wandb.me/define-metric to log data out of order.\n"
    )
    run.finish()
    assert [r["a"] for r in wandb.Api().run(f"p/{run.id}").history()] == [1]
