"""docs/{en,es}/ref/python/init.md: wandb.init starts a run; in a sweep, the sweep decides."""

from __future__ import annotations

import pytest

from ref.refcheck import error_tail, wandb_lines

PROJECT = {"en": "init-reference", "es": "referencia-init"}


def test_basic_run_is_stored_with_its_filtered_config(listings, lang):
    result = listings.run("basic", lang).check()
    listings.check_output("basic-output", lang, result.stdout)
    assert "WARNING" not in result.stderr  # wandb.helper.parse_config, not the deprecated config_exclude_keys
    run_id = result.stdout.splitlines()[0].removeprefix("ID: ")
    run = result.api().run(f"{PROJECT[lang]}/{run_id}")
    assert run.state == "finished"
    assert run.config == {"lr": 0.01, "batch_size": 32}  # "debug" was excluded
    assert run.name == {"en": "baseline", "es": "referencia"}[lang]
    assert run.sweep_id is None
    assert run.metadata["launched_by"] == "script"


def test_in_a_sweep_the_sweep_picks_project_and_values(listings, lang):
    result = listings.run("sweep", lang).check()
    listings.check_output("sweep-output", lang, result.stdout)
    log = wandb_lines(result.stderr)
    listings.check_output("sweep-log", lang, log)
    other = {"en": "another-project", "es": "otro-proyecto"}[lang]
    assert f"wandb: WARNING Ignoring project '{other}' when running a sweep.\n" in log
    sweep_id = result.stdout.splitlines()[0].removeprefix("Create sweep with ID: ")
    (run,) = result.api().sweep(f"{PROJECT[lang]}/{sweep_id}").runs
    assert run.project == PROJECT[lang]
    assert run.config == {"lr": 0.1, "epochs": 3}


def test_include_and_exclude_together_raise_usage_error(listings, lang):
    result = listings.run("include-exclude", lang).check(returncode=1)
    tail = error_tail(result.stderr)
    assert tail == "wandb.errors.errors.UsageError: Expected at most only one of exclude or include\n"
    listings.check_output("include-exclude-error", lang, tail)
    result.expect("Traceback (most recent call last):", count=1)


def test_documented_defaults_and_reinit(mock_wandb, capsys):
    import argparse

    import wandb

    run = wandb.init(config=argparse.Namespace(lr=0.1), tags=("a",), notes="n", group="g", job_type="train")
    assert (run.entity, run.project) == ("mock-entity", "uncategorized")
    assert (run.offline, run.disabled) == (True, False)
    assert dict(run.config) == {"lr": 0.1}
    assert (run.tags, run.notes, run.group, run.job_type) == (("a",), "n", "g", "train")
    capsys.readouterr()
    # reinit default: a second init returns the active run and says so
    assert wandb.init() is run
    assert "returning the previous run" in capsys.readouterr().err
    second = wandb.init(reinit="finish_previous")
    assert second is not run and wandb.Api().run(run.id).state == "finished"
    second.finish()
    disabled = wandb.init(mode="disabled", id="notstored")
    disabled.finish()
    with pytest.raises(wandb.CommError, match="Could not find run"):
        wandb.Api().run("notstored")


def test_config_from_a_yaml_file(mock_wandb, tmp_path):
    import wandb

    path = tmp_path / "defaults.yaml"
    path.write_text("lr:\n  value: 0.3\nepochs:\n  value: 4\n")
    with wandb.init(config=str(path)) as run:
        assert dict(run.config) == {"lr": 0.3, "epochs": 4}


def test_resume_must_while_a_run_is_active(mock_wandb):
    import wandb

    wandb.init()
    with pytest.raises(wandb.Error) as err:
        wandb.init(resume="must")
    assert str(err.value) == (
        "Cannot resume a run while another run is active. You must either finish it using run.finish(),"
        " or use reinit='create_new' when calling wandb.init()."
    )
