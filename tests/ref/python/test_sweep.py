"""docs/{en,es}/ref/python/sweep.md: wandb.sweep creates a sweep, or fails the documented way."""

from __future__ import annotations

import re

import pytest

from ref.refcheck import error_tail, wandb_lines

PROJECT = {"en": "sweep-reference", "es": "referencia-barrido"}


def test_create_stores_the_sweep_and_fills_in_the_distribution(listings, lang):
    result = listings.run("create", lang).check()
    listings.check_output("create-output", lang, result.stdout)
    assert result.stderr == ""
    sweep_id = result.stdout.splitlines()[0].removeprefix("Create sweep with ID: ")
    sweep = result.api().sweep(f"mock-entity/{PROJECT[lang]}/{sweep_id}")
    assert sweep.project == PROJECT[lang]
    assert sweep.state == "RUNNING"
    assert sweep.runs == []
    # Two float bounds and no distribution: the SDK chose "uniform" before storing it.
    assert sweep.config["parameters"]["lr"] == {"min": 0.0001, "max": 0.1, "distribution": "uniform"}


@pytest.mark.parametrize(
    "key, message, cause",
    [
        # The engine's ValueError, wrapped: two chained tracebacks, as the real SDK prints them.
        ("ambiguous", "wandb.errors.errors.CommError: Parameter lr is ambiguous, please specify bounds",
         "ValueError: Parameter lr is ambiguous, please specify bounds"),
        ("bayes", 'wandb.errors.errors.CommError: Invalid sweep config: Bayesian search requires "metric" section',
         None),  # raised `from None`: one traceback
    ],
)
def test_rejected_configurations_raise_comm_error_and_store_nothing(listings, lang, key, message, cause):
    result = listings.run(key, lang).check(returncode=1)
    tail = error_tail(result.stderr)
    assert tail.startswith(message)
    listings.check_output(f"{key}-error", lang, tail)
    result.expect("Traceback (most recent call last):", count=2 if cause else 1)
    if cause:
        result.expect(re.compile("^" + re.escape(cause)), count=1)
    assert "Create sweep with ID" not in result.stdout
    from wandb import _store

    result.api()  # points the store at this example's WANDB_DIR
    with _store.transaction() as conn:
        assert conn.execute("SELECT COUNT(*) FROM sweeps").fetchone()[0] == 0


def test_misspelled_key_only_warns_and_the_sweep_is_created(listings, lang):
    result = listings.run("misspelled", lang).check()
    shown = wandb_lines(result.stderr)
    assert "Additional properties are not allowed ('metrics' was unexpected)" in shown
    listings.check_output("misspelled-output", lang, result.stdout + shown)
    sweep_id = result.stdout.removeprefix("Create sweep with ID: ").strip()
    sweep = result.api().sweep(f"{PROJECT[lang]}/{sweep_id}")
    assert "metric" not in sweep.config


@pytest.fixture
def store(mock_wandb, tmp_path, monkeypatch):
    monkeypatch.setenv("WANDB_SILENT", "true")
    return tmp_path


CONFIG = {"method": "random", "parameters": {"x": {"values": [1, 2]}}}


def test_callable_configuration_and_exported_project(store, capsys):
    import os

    import wandb

    calls = []

    def make_config():
        calls.append(1)
        return dict(CONFIG, project="from-config")

    sweep_id = wandb.sweep(make_config)
    assert calls == [1]
    assert capsys.readouterr().out == f"Create sweep with ID: {sweep_id}\n"
    # The project comes from the configuration's "project" key and is exported, so a later
    # wandb.init() in this process lands in the same project.
    assert os.environ["WANDB_PROJECT"] == "from-config"
    assert wandb.Api().sweep(f"mock-entity/from-config/{sweep_id}").id == sweep_id
    sweep_id = wandb.sweep(CONFIG, entity="team", project="explicit")
    assert (os.environ["WANDB_ENTITY"], os.environ["WANDB_PROJECT"]) == ("team", "explicit")
    assert wandb.Api().sweep(f"team/explicit/{sweep_id}").id == sweep_id


def test_prior_runs_are_attached_to_the_new_sweep(store):
    import wandb

    with wandb.init(project="prior") as run:
        run.log({"x": 1})
    sweep_id = wandb.sweep(CONFIG, project="prior", prior_runs=[run.id])
    assert [r.id for r in wandb.Api().sweep(f"prior/{sweep_id}").runs] == [run.id]
