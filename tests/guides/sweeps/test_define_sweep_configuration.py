"""docs/{en,es}/guides/sweeps/define-sweep-configuration.md.

Every configuration file of the page goes through the mock: the valid ones are created with
wandb.sweep (the engine validates them) and sampled by wandb.agent, the wrong ones fail the
way `wandb sweep` fails, and their stored output is checked. Sampling runs in this process
(the mock's `wandb.sweep`, `wandb.agent` and CLI entry point, called directly) to keep the
page's test time low; the Python dict and the command-macro examples run as a reader runs them.
"""

from __future__ import annotations

import itertools
import math
import re
import shutil

import pytest
import yaml

from harness import SEED
from inprocess import run_here

SAMPLES = 12
PLACEHOLDER = {"en": "your-entity/macros-demo/sweepID", "es": "tu-entidad/demo-macros/sweepID"}
MACROS_PROJECT = {"en": "macros-demo", "es": "demo-macros"}


@pytest.fixture
def mock(mock_wandb, monkeypatch):
    """The mock SDK in this process, seeded like the harness seeds it."""
    monkeypatch.setenv("WANDB_MOCK_SEED", SEED)
    return mock_wandb


def load(listings, key, lang) -> dict:
    return yaml.safe_load(listings[key].path(lang).read_text(encoding="utf-8"))


def sample(wandb, listings, key: str, lang: str, count: int | None = SAMPLES):
    """Create the sweep of configuration listing `key` with wandb.sweep, let an agent run `count`
    trials, in this process; (the run's Result, the sweep's ID, what each run's config held)."""
    config = load(listings, key, lang)
    seen: list[dict] = []

    def train():
        with wandb.init() as run:
            seen.append(dict(run.config))
            run.log({"val_loss": 1.0 / (1 + len(seen))})

    with listings.here([key], lang) as result:
        sweep_id = wandb.sweep(config)
        wandb.agent(sweep_id, function=train, count=count)
    return result, sweep_id, seen


def wandb_sweep_cli(listings, key: str, lang: str):
    """`wandb sweep <file>` of configuration listing `key`, in the current folder, through the
    command's entry point in this process; its Result (returncode: the exit status)."""
    from wandb.cli import main

    path = listings[key].path(lang)
    shutil.copy(path, path.name)
    with listings.here([key], lang) as result:
        result.returncode = main(["sweep", path.name])
    return result


# --- the YAML and the Python forms --------------------------------------------------------


def test_yaml_and_python_forms_create_the_same_sweep(listings, lang, mock):
    # Every top-level key is valid: no "Malformed sweep config" warning (the harness reads every line).
    err = wandb_sweep_cli(listings, "config-yaml", lang).check().stderr
    entity, project = "my-team", ("my-project" if lang == "en" else "mi-proyecto")
    from_yaml = mock.Api().sweep(re.search(r"wandb agent (\S+)", err)[1])
    assert from_yaml.path[:2] == [entity, project]  # the file's entity and project keys

    result = listings.run("config-py", lang).check()
    sweep_id = re.search(r"Create sweep with ID: (\w+)", result.stdout)[1]
    from_py = result.api().sweep(f"{entity}/{project}/{sweep_id}")
    assert from_py.config == from_yaml.config  # same dict, key for key
    assert from_py.config["metric"] == {"name": "val_loss", "goal": "minimize", "target": 0.05}


# --- methods ------------------------------------------------------------------------------


def test_grid_runs_every_combination_once_then_stops(listings, lang, mock):
    _, sweep_id, seen = sample(mock, listings, "grid", lang, count=None)
    combos = [(c["optimizer"], c["layers"]) for c in seen]
    assert sorted(combos) == sorted(itertools.product(["adam", "sgd", "rmsprop"], [1, 2, 3, 4]))
    assert mock.Api().sweep(sweep_id).state == "FINISHED"


WRONG = {
    "grid-continuous": "Error: Invalid sweep config: Parameter lr is a disallowed type with grid search.",
    "bayes-no-metric": 'Error: Invalid sweep config: Bayesian search requires "metric" section',
    "ambiguous": "Error: Parameter lr is ambiguous, please specify bounds as both floats",
    "ambiguous-exponent": "Error: Parameter lr is ambiguous, please specify bounds as both floats",
}


@pytest.mark.parametrize("key", WRONG)
def test_wrong_configurations_are_refused(listings, lang, mock, key):
    err = wandb_sweep_cli(listings, key, lang).check(1).stderr
    assert WRONG[key] in err
    listings.check_output(f"{key}-output", lang, err)
    from wandb import _store

    assert _store.connect().execute("SELECT COUNT(*) FROM sweeps").fetchone()[0] == 0  # nothing created


def test_the_exponent_is_a_string_in_yaml(listings, lang):
    assert load(listings, "ambiguous-exponent", lang)["parameters"]["lr"]["min"] == "1e-5"


def test_random_stops_at_run_cap(listings, lang, mock):
    _, sweep_id, seen = sample(mock, listings, "random", lang, count=None)
    assert len(seen) == 5  # run_cap: 5, although the agent has no count
    assert all(0.0001 <= c["lr"] <= 0.1 and c["optimizer"] in ("adam", "sgd") for c in seen)
    assert mock.Api().sweep(sweep_id).state == "FINISHED"


def test_bayes_proposes_values_in_range(listings, lang, mock):
    _, _, seen = sample(mock, listings, "bayes", lang, count=4)
    assert len(seen) == 4
    for c in seen:
        assert 0.0001 <= c["lr"] <= 0.1 and 0.1 <= c["dropout"] <= 0.5


# --- parameters ---------------------------------------------------------------------------


def test_nested_parameters_give_a_dict_and_a_grid_runs_each_once(listings, lang, mock):
    _, sweep_id, seen = sample(mock, listings, "nested", lang, count=None)
    for c in seen:
        assert set(c["optimizer"]) == {"kind", "momentum"}
        assert c["lr"] == 0.01
    combos = sorted((c["optimizer"]["kind"], c["optimizer"]["momentum"]) for c in seen)
    assert combos == sorted(itertools.product(["adam", "sgd"], [0.8, 0.9, 0.99]))  # 2 x 3, once each
    assert mock.Api().sweep(sweep_id).state == "FINISHED"


def test_target_finishes_the_sweep(listings, lang, mock, monkeypatch):
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


def test_hyperband_stops_the_run_that_falls_behind(listings, lang, mock, monkeypatch):
    result = run_here(listings, lang, "early-termination", monkeypatch)
    listings.check_output("early-termination-output", lang, result.stdout)
    sweep_id = result.sweep_id()
    project = "hyperband-demo" if lang == "en" else "demo-hyperband"
    runs = result.api().sweep(f"mock-entity/{project}/{sweep_id}").runs
    assert [(r.config["lr"], r.state, len(r.history())) for r in runs] == [
        (0.1, "finished", 9),
        (0.2, "finished", 9),
        (0.4, "killed", 4),
        (0.05, "finished", 9),
    ]
    # The stop, as the agent delivers it to a function: a bare Exception, printed by the
    # run's `with` block and by the agent, and no error reported for the run.
    result.expect(re.compile(r"^Exception$"), count=2)
    result.expect("Traceback (most recent call last):", count=2)
    assert "errored" not in result.stderr


def test_distribution_is_inferred_from_the_bounds(listings, lang, mock):
    _, sweep_id, seen = sample(mock, listings, "inferred", lang)
    params = mock.Api().sweep(sweep_id).config["parameters"]
    assert params["epochs"]["distribution"] == "int_uniform"
    assert params["dropout"]["distribution"] == "uniform"
    assert all(type(c["epochs"]) is int and 5 <= c["epochs"] <= 20 for c in seen)
    assert all(type(c["dropout"]) is float and 0.1 <= c["dropout"] <= 0.5 for c in seen)


def multiple(x, q) -> bool:
    return math.isclose(x / q, round(x / q), abs_tol=1e-9)


# distribution -> (parameter, expected type, check of one sampled value)
DISTRIBUTIONS = {
    "constant": ("epochs", int, lambda v: v == 10),
    "categorical": ("optimizer", str, lambda v: v in ("adam", "sgd", "rmsprop")),
    "categorical_w_probabilities": ("optimizer", str, lambda v: v in ("adam", "sgd")),  # rmsprop: p = 0
    "int_uniform": ("layers", int, lambda v: 1 <= v <= 6),
    "uniform": ("dropout", float, lambda v: 0.1 <= v <= 0.5),
    "q_uniform": ("hidden_size", int, lambda v: 32 <= v <= 512 and v % 32 == 0),
    "log_uniform_values": ("lr", float, lambda v: 0.0001 <= v <= 0.1),
    "q_log_uniform_values": ("batch_size", int, lambda v: 16 <= v <= 256 and v % 16 == 0),
    "inv_log_uniform_values": ("weight_decay", float, lambda v: 0.0001 <= v <= 0.1),
    "normal": ("noise", float, lambda v: -0.6 < v < 0.6),  # mu ± 6 sigma
    "q_normal": ("warmup_steps", int, lambda v: v % 10 == 0 and -20 < v < 220),
    "log_normal": ("scale", float, lambda v: 0 < v < math.exp(3)),
    "q_log_normal": ("num_filters", int, lambda v: v >= 0 and v % 8 == 0),
    "beta": ("momentum", float, lambda v: 0 <= v <= 1),
    "q_beta": ("mix", float, lambda v: 0 <= v <= 1 and multiple(v, 0.05)),
    "log_uniform": ("lr", float, lambda v: math.exp(-9.21) <= v <= math.exp(-2.3)),
    "q_log_uniform": ("batch_size", int, lambda v: 16 <= v <= 256 and v % 16 == 0),
    "inv_log_uniform": ("weight_decay", float, lambda v: math.exp(-9.21) <= v <= math.exp(-2.3)),
}
DEPRECATED = {"log_uniform", "q_log_uniform", "inv_log_uniform"}


@pytest.mark.parametrize("dist", DISTRIBUTIONS)
def test_distribution_samples_land_in_range_with_their_type(listings, lang, mock, dist):
    key = "dist-" + dist.replace("_", "-")
    param, expected_type, ok = DISTRIBUTIONS[dist]
    assert load(listings, key, lang)["parameters"][param]["distribution"] == dist
    result, sweep_id, seen = sample(mock, listings, key, lang)
    values = [c[param] for c in seen]
    assert len(values) == SAMPLES
    assert all(type(v) is expected_type for v in values), values
    assert all(ok(v) for v in values), values
    if dist not in ("constant",):
        assert len(set(values)) > 1, values  # it does vary
    if dist in DEPRECATED:  # a warning when the sweep is created (any other warning fails the test)
        result.expect(f"  Violation 1. {param} uses {dist}, where min/max specify base-e exponents", count=1)
        if dist == "log_uniform":  # the one the page shows
            listings.check_output("dist-log-uniform-output", lang, result.stderr.split("wandb: Agent Starting")[0])
        # The "Malformed sweep config" block: a header, the advice and the violation above.
        result.expect(re.compile("^wandb: WARNING "), count=3)


# --- early termination --------------------------------------------------------------------


def test_hyperband_configuration_is_accepted(listings, lang, mock):
    err = wandb_sweep_cli(listings, "hyperband", lang).check().stderr  # and no "Malformed" warning
    sweep = mock.Api().sweep(re.search(r"wandb agent (\S+)", err)[1])
    assert sweep.config["early_terminate"] == {"type": "hyperband", "min_iter": 3, "eta": 2}


def test_incomplete_hyperband_is_reported(listings, lang, mock):
    result = wandb_sweep_cli(listings, "hyperband-incomplete", lang)
    result.check(0)  # created, with a warning: early termination would not work
    result.expect("Violation 1. {'type': 'hyperband'} is not valid under any of the given schemas", count=1)
    listings.check_output("hyperband-incomplete-output", lang, result.stderr)


# --- command macros -----------------------------------------------------------------------


def test_boolean_flags_macro(listings, lang):
    created = listings.shell(["command-sweep"], lang).check()
    sweep_id = re.search(r"Creating sweep with ID: (\w+)", created.stderr)[1]
    path = f"mock-entity/{MACROS_PROJECT[lang]}/{sweep_id}"
    result = listings.shell(["command-agent"], lang, replace={PLACEHOLDER[lang]: path}).check()
    listings.check_output("command-agent-output", lang, result.stdout)
    runs = created.api().sweep(path).runs
    assert [r.metadata["args"] for r in runs] == [["--augment", "--lr=0.01"], ["--lr=0.01"]]
    assert [r.config["augment"] for r in runs] == [True, False]
    assert all(r.state == "finished" and r.config["lr"] == 0.01 for r in runs)
    listings.ran("command", "command-train")
