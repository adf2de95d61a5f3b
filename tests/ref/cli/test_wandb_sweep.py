"""docs/{en,es}/ref/cli/wandb-sweep.md: `wandb sweep` creates, pauses, and refuses an ambiguous config."""

from __future__ import annotations

import re

from ref.refcheck import used_as_input

PROJECT = {"en": "cli-reference", "es": "referencia-cli"}


def _created_path(stderr: str) -> str:
    m = re.search(r"^wandb: Run sweep agent with: wandb agent (\S+)$", stderr, re.M)
    assert m, stderr
    return m[1]


def test_create_then_pause(listings, lang):
    created = listings.shell(["create"], lang).check()
    listings.check_output("create-output", lang, created.stderr)
    assert created.stdout == ""
    path = _created_path(created.stderr)
    entity, project, sweep_id = path.split("/")
    assert project == PROJECT[lang]
    sweep = created.api().sweep(path)
    assert sweep.name == {"en": "first-try", "es": "primer-intento"}[lang]  # --name overrides the file
    # The stored configuration is the YAML file, plus --name and the filled-in distribution.
    expected = used_as_input(listings, lang, "config")
    expected["name"] = sweep.name
    expected["parameters"]["lr"]["distribution"] = "uniform"
    assert sweep.config == expected
    assert sweep.state == "RUNNING"

    paused = listings.shell(["pause"], lang, replace={f"your-entity/{project}/sweepID": path}).check()
    listings.check_output("pause-output", lang, paused.stderr)
    assert paused.api().sweep(path).state == "PAUSED"
    # A paused sweep hands out no trials.
    agent = listings.command(["wandb", "agent", "--count", "1", path], lang).check()
    assert paused.api().sweep(path).runs == []
    assert "Agent Starting Run" not in agent.stderr


def test_ambiguous_bounds_fail_with_exit_status_1(listings, lang):
    result = listings.shell(["ambiguous"], lang).check(returncode=1)
    bounds = used_as_input(listings, lang, "ambiguous-config")["parameters"]["lr"]
    assert (type(bounds["min"]), type(bounds["max"])) == (int, float)
    assert result.stderr.endswith(
        "Error: Parameter lr is ambiguous, please specify bounds as both floats"
        " (for a float_uniform distribution) or ints (for an int_uniform distribution).\n"
    )
    listings.check_output("ambiguous-output", lang, result.stderr)
    from wandb import _store

    result.api()
    with _store.transaction() as conn:
        assert conn.execute("SELECT COUNT(*) FROM sweeps").fetchone()[0] == 0


def test_option_errors(listings, lang):
    both = listings.command(["wandb", "sweep", "--stop", "--cancel", "x"], lang).check(returncode=1)
    assert both.stderr == "Error: Only one state flag (stop/cancel/pause/resume) is allowed.\n"
    both.expect("Error: Only one state flag", count=1)
    missing = listings.command(["wandb", "sweep", "nope.yaml"], lang).check(returncode=1)
    missing.expect("wandb: ERROR Couldn't open sweep file: nope.yaml", count=1)


def test_update_replaces_the_configuration_and_program_overrides_the_file(listings, lang):
    created = listings.command(["wandb", "sweep", "-p", "up", "sweep.yaml"], lang).check()
    path = _created_path(created.stderr)
    updated = listings.command(["wandb", "sweep", "--update", path, "--program", "other.py", "sweep.yaml"], lang)
    assert updated.check().stderr.endswith(f"wandb: Updating sweep with ID: {path.split('/')[2]}\nwandb: Run sweep agent with: wandb agent {path}\n")
    assert created.api().sweep(path).config["program"] == "other.py"


def test_prior_run_attaches_existing_runs(listings, lang):
    script = "import wandb\nwith wandb.init(project='prior') as run:\n    run.log({'loss': 1.0})\nprint(run.id)\n"
    run_id = listings.command(["python", "-c", script], lang).check().stdout.strip()
    created = listings.command(["wandb", "sweep", "-p", "prior", "--prior_run", run_id, "sweep.yaml"], lang).check()
    path = _created_path(created.stderr)
    assert [r.id for r in created.api().sweep(path).runs] == [run_id]
