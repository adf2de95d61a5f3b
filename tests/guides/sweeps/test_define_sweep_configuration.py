"""docs/{en,es}/guides/sweeps/define-sweep-configuration.md.

Every configuration file of the page goes through the mock: the valid ones are created with
wandb.sweep (the engine validates them) and sampled by wandb.agent, the wrong ones fail the
way `wandb sweep` fails, and their stored output is checked. Sampling runs in this process
(the mock's `wandb.sweep`, `wandb.agent` and CLI entry point, called directly, through
tests/inprocess.py, shared with test_sweep_configuration_options.py) to keep the page's
test time low; the Python dict example runs as a reader runs it.
"""

from __future__ import annotations

import itertools
import re

import pytest

from inprocess import refused_here, run_here, sample_here, wandb_sweep_here


# --- the YAML and the Python forms --------------------------------------------------------


def test_yaml_and_python_forms_create_the_same_sweep(listings, lang, seeded_mock):
    # Every top-level key is valid: no "Malformed sweep config" warning (the harness reads every line).
    err = wandb_sweep_here(listings, "config-yaml", lang).check().stderr
    entity, project = "my-team", ("my-project" if lang == "en" else "mi-proyecto")
    from_yaml = seeded_mock.Api().sweep(re.search(r"wandb agent (\S+)", err)[1])
    assert from_yaml.path[:2] == [entity, project]  # the file's entity and project keys

    result = listings.run("config-py", lang).check()
    sweep_id = re.search(r"Create sweep with ID: (\w+)", result.stdout)[1]
    from_py = result.api().sweep(f"{entity}/{project}/{sweep_id}")
    assert from_py.config == from_yaml.config  # same dict, key for key
    assert from_py.config["metric"] == {"name": "val_loss", "goal": "minimize", "target": 0.05}


# --- methods ------------------------------------------------------------------------------


def test_grid_runs_every_combination_once_then_stops(listings, lang, seeded_mock):
    _, sweep_id, seen = sample_here(seeded_mock, listings, "grid", lang, count=None)
    combos = [(c["optimizer"], c["layers"]) for c in seen]
    assert sorted(combos) == sorted(itertools.product(["adam", "sgd", "rmsprop"], [1, 2, 3, 4]))
    assert seeded_mock.Api().sweep(sweep_id).state == "FINISHED"


WRONG = {
    "grid-continuous": "Error: Invalid sweep config: Parameter lr is a disallowed type with grid search.",
    "bayes-no-metric": 'Error: Invalid sweep config: Bayesian search requires "metric" section',
}


@pytest.mark.parametrize("key", WRONG)
def test_wrong_configurations_are_refused(listings, lang, seeded_mock, key):
    refused_here(listings, key, lang, WRONG[key])


def test_random_stops_at_run_cap(listings, lang, seeded_mock):
    _, sweep_id, seen = sample_here(seeded_mock, listings, "random", lang, count=None)
    assert len(seen) == 5  # run_cap: 5, although the agent has no count
    assert all(0.0001 <= c["lr"] <= 0.1 and c["optimizer"] in ("adam", "sgd") for c in seen)
    assert seeded_mock.Api().sweep(sweep_id).state == "FINISHED"


def test_bayes_proposes_values_in_range(listings, lang, seeded_mock):
    _, _, seen = sample_here(seeded_mock, listings, "bayes", lang, count=4)
    assert len(seen) == 4
    for c in seen:
        assert 0.0001 <= c["lr"] <= 0.1 and 0.1 <= c["dropout"] <= 0.5


# --- parameters ---------------------------------------------------------------------------


def test_nested_parameters_give_a_dict_and_a_grid_runs_each_once(listings, lang, seeded_mock):
    _, sweep_id, seen = sample_here(seeded_mock, listings, "nested", lang, count=None)
    for c in seen:
        assert set(c["optimizer"]) == {"kind", "momentum"}
        assert c["lr"] == 0.01
    combos = sorted((c["optimizer"]["kind"], c["optimizer"]["momentum"]) for c in seen)
    assert combos == sorted(itertools.product(["adam", "sgd"], [0.8, 0.9, 0.99]))  # 2 x 3, once each
    assert seeded_mock.Api().sweep(sweep_id).state == "FINISHED"


def test_target_finishes_the_sweep(listings, lang, seeded_mock, monkeypatch):
    result = run_here(listings, lang, "target", monkeypatch)
    listings.check_output("target-output", lang, result.stdout)
    sweep_id = result.sweep_id()
    project = "target-demo" if lang == "en" else "demo-objetivo"
    sweep = result.api().sweep(f"mock-entity/{project}/{sweep_id}")
    assert sweep.state == "FINISHED"
    runs = sweep.runs
    assert [r.config["lr"] for r in runs] == [0.4, 0.08, 0.02]  # 0.01 never ran
    assert all(r.state == "finished" and len(r.history()) == 3 for r in runs)
    assert runs[2].history()[0]["val_loss"] <= 0.1 < min(row["val_loss"] for r in runs[:2] for row in r.history())
    assert result.stderr.endswith("wandb: Sweep Agent: Waiting for job.\nwandb: Sweep Agent: Exiting.\n")
