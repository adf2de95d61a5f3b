"""docs/{en,es}/guides/sweeps/initialize-sweeps.md: create a sweep with wandb.sweep and with `wandb sweep`."""

from __future__ import annotations


import yaml

PROJECT = {"en": "my-first-sweep", "es": "mi-primer-barrido"}
ENTITY = {"en": "my-team", "es": "mi-equipo"}
NAME = {"en": "first-sweep", "es": "primer-barrido"}
CLI_NAME = {"en": "lr-search", "es": "busqueda-lr"}


def test_wandb_sweep_creates_the_sweep_and_returns_its_id(listings, lang):
    result = listings.run("sdk", lang).check()
    listings.check_output("sdk-output", lang, result.stdout)
    sweep_id = result.sweep_id()
    # The script prints the ID it got back: the same one wandb.sweep announced.
    assert result.stdout.rstrip().endswith(f": {sweep_id}")
    sweep = result.api().sweep(f"mock-entity/{PROJECT[lang]}/{sweep_id}")
    assert sweep.name == NAME[lang]
    assert sweep.state == "RUNNING"
    assert sweep.config["method"] == "random"
    assert sweep.config["metric"] == {"goal": "minimize", "name": "val_loss"}
    # min/max given as two floats: the sweep stores the inferred distribution.
    assert sweep.config["parameters"]["lr"]["distribution"] == "uniform"
    assert sweep.runs == []  # creating a sweep starts no run


def test_entity_and_project_arguments_place_the_sweep(listings, lang):
    result = listings.run("sdk-path", lang).check()
    path = result.stdout.strip().splitlines()[-1]
    assert path.startswith(f"{ENTITY[lang]}/{PROJECT[lang]}/")
    sweep = result.api().sweep(path)
    assert sweep.path == path.split("/")
    assert sweep.expected_run_count == 3  # grid over three batch sizes


def test_wandb_sweep_command_creates_the_sweep(listings, lang):
    result = listings.shell(["cli-sweep"], lang).check()
    listings.check_output("cli-sweep-output", lang, result.stderr)
    sweep_id = result.sweep_id()
    assert f"Run sweep agent with: wandb agent mock-entity/{PROJECT[lang]}/{sweep_id}" in result.stderr
    sweep = result.api().sweep(f"mock-entity/{PROJECT[lang]}/{sweep_id}")
    expected = yaml.safe_load(listings["cli-config"].path(lang).read_text(encoding="utf-8"))
    expected["parameters"]["lr"]["distribution"] = "uniform"  # inferred from two float bounds
    assert sweep.config == expected
    assert sweep.config["program"] == "train.py"
    assert sweep.name == NAME[lang]
    listings.ran("cli-config")


def test_cli_options_override_the_file(listings, lang):
    result = listings.shell(["cli-options"], lang).check()
    listings.check_output("cli-options-output", lang, result.stderr)
    sweep_id = result.sweep_id()
    sweep = result.api().sweep(f"{ENTITY[lang]}/{PROJECT[lang]}/{sweep_id}")
    assert sweep.name == CLI_NAME[lang]  # --name wins over the file's name
    assert sweep.config["program"] == "train.py"
