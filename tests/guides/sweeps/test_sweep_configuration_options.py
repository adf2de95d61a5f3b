"""docs/{en,es}/guides/sweeps/sweep-configuration-options.md.

Every configuration file of the page goes through the mock: each distribution's is created
with wandb.sweep and sampled by wandb.agent, the Hyperband ones are created with
`wandb sweep`, the wrong ones fail the way `wandb sweep` fails, and their stored output is
checked. Sampling runs in this process (tests/inprocess.py, shared with
test_define_sweep_configuration.py) to keep the page's test time low; the Hyperband script
and the command-macro example run as a reader runs them.
"""

from __future__ import annotations

import math
import re

import pytest

from inprocess import SAMPLES, config_of, refused_here, run_here, sample_here, wandb_sweep_here

PLACEHOLDER = {"en": "your-entity/macros-demo/sweepID", "es": "tu-entidad/demo-macros/sweepID"}
MACROS_PROJECT = {"en": "macros-demo", "es": "demo-macros"}


# --- distributions ------------------------------------------------------------------------


def test_distribution_is_inferred_from_the_bounds(listings, lang, seeded_mock):
    _, sweep_id, seen = sample_here(seeded_mock, listings, "inferred", lang)
    params = seeded_mock.Api().sweep(sweep_id).config["parameters"]
    assert params["epochs"]["distribution"] == "int_uniform"
    assert params["dropout"]["distribution"] == "uniform"
    assert all(type(c["epochs"]) is int and 5 <= c["epochs"] <= 20 for c in seen)
    assert all(type(c["dropout"]) is float and 0.1 <= c["dropout"] <= 0.5 for c in seen)


WRONG = {
    "ambiguous": "Error: Parameter lr is ambiguous, please specify bounds as both floats",
    "ambiguous-exponent": "Error: Parameter lr is ambiguous, please specify bounds as both floats",
}


@pytest.mark.parametrize("key", WRONG)
def test_wrong_configurations_are_refused(listings, lang, seeded_mock, key):
    refused_here(listings, key, lang, WRONG[key])


def test_the_exponent_is_a_string_in_yaml(listings, lang):
    assert config_of(listings, "ambiguous-exponent", lang)["parameters"]["lr"]["min"] == "1e-5"


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
def test_distribution_samples_land_in_range_with_their_type(listings, lang, seeded_mock, dist):
    key = "dist-" + dist.replace("_", "-")
    param, expected_type, ok = DISTRIBUTIONS[dist]
    assert config_of(listings, key, lang)["parameters"][param]["distribution"] == dist
    result, sweep_id, seen = sample_here(seeded_mock, listings, key, lang)
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


def test_hyperband_configuration_is_accepted(listings, lang, seeded_mock):
    err = wandb_sweep_here(listings, "hyperband", lang).check().stderr  # and no "Malformed" warning
    sweep = seeded_mock.Api().sweep(re.search(r"wandb agent (\S+)", err)[1])
    assert sweep.config["early_terminate"] == {"type": "hyperband", "min_iter": 3, "eta": 2}


def test_hyperband_stops_the_run_that_falls_behind(listings, lang, seeded_mock, monkeypatch):
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


def test_incomplete_hyperband_is_reported(listings, lang, seeded_mock):
    result = wandb_sweep_here(listings, "hyperband-incomplete", lang)
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
