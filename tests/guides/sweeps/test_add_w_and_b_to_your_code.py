"""docs/{en,es}/guides/sweeps/add-w-and-b-to-your-code.md: every listing, run as a reader would."""

from __future__ import annotations

import re

import yaml

PROJECT = {"en": "my-first-sweep", "es": "mi-primer-barrido"}
CLI_PROJECT = {"en": "sweep-demo-cli", "es": "demo-barrido-cli"}


def sweep_of(result, project):
    return result.api().sweep(f"{project}/{result.sweep_id()}")


def test_original_script_prints_one_block_per_configured_epoch(listings, lang):
    result = listings.run("original", lang).check()
    epochs = [int(n) for n in re.findall(r"^epoch: (\d+)$", result.stdout, re.M)]
    assert epochs == [1, 2, 3, 4, 5]  # config["epochs"] is 5: the loop must not stop at 4
    validation = {"en": "validation loss", "es": "pérdida de validación"}[lang]
    assert result.stdout.count(validation) == 5  # the validation loss is labelled as such
    listings.check_output("original-output", lang, result.stdout)


def test_sdk_example_runs_four_trials_within_the_configured_space(listings, lang):
    result = listings.run("sdk", lang).check()
    sweep = sweep_of(result, PROJECT[lang])
    assert len(sweep.runs) == 4
    for run in sweep.runs:
        assert run.state == "finished"
        assert run.config["batch_size"] in (16, 32, 64)
        assert run.config["epochs"] in (5, 10, 15)
        assert 0.0001 <= run.config["lr"] <= 0.1 and isinstance(run.config["lr"], float)
        assert isinstance(run.summary["val_acc"], float)
        assert run.summary["epoch"] == run.config["epochs"]  # every configured epoch was logged
        assert run.metadata["launched_by"] == "agent-function"
    assert sweep.best_run() is not None
    assert result.stderr.count("Agent Starting Run:") == 4


def test_cli_commands_as_printed_give_five_runs_launched_by_the_agent(listings, lang):
    config = yaml.safe_load(listings["cli-config"].path(lang).read_text(encoding="utf-8"))
    assert config["program"] == listings["cli-train"].file

    placeholder = listings["cli-agent"].path(lang).read_text(encoding="utf-8").split()[-1]
    entity = placeholder.split("/")[0]  # so the output shown on the page names the same entity
    created = listings.shell(["cli-count", "cli-sweep"], lang, env={"WANDB_ENTITY": entity}).check()
    output = created.stdout + created.stderr
    listings.check_output("cli-sweep-output", lang, output)
    path = re.search(r"Run sweep agent with: wandb agent (\S+)", output)[1]

    agent = listings.shell(["cli-count", "cli-agent"], lang, replace={placeholder: path}).check()
    assert "Starting wandb agent" in agent.stderr

    sweep = created.api().sweep(path)
    assert sweep.config["name"] == config["name"]
    assert len(sweep.runs) == 5
    for run in sweep.runs:
        assert run.state == "finished"
        assert run.metadata["launched_by"] == "agent-cli"
        assert run.metadata["ppid"] != run.metadata["pid"]
        assert run.config["batch_size"] in (16, 32, 64) and run.config["epochs"] in (5, 10, 15)
        assert isinstance(run.summary["val_acc"], float)
    assert len({run.metadata["pid"] for run in sweep.runs}) == 5  # one process per trial
    listings.ran("cli-config", "cli-train")


def test_the_placeholder_named_in_the_prose_is_the_one_in_the_agent_command(listings, lang):
    from docskit import DOCS

    placeholder = listings["cli-agent"].path(lang).read_text(encoding="utf-8").split()[-1]
    page = (DOCS / lang / listings.page).read_text(encoding="utf-8")
    assert f"`{placeholder}`" in page


def test_nested_metric_example_completes_but_the_sweep_never_gets_the_metric(listings, lang):
    result = listings.run("metric-nested", lang).check()
    sweep = sweep_of(result, PROJECT[lang])
    assert len(sweep.runs) == 10
    for run in sweep.runs:
        assert isinstance(run.summary["val_loss"], dict)  # the whole dict, not a number
        assert set(run.summary["val_loss"]) == {"val_loss", "val_acc"}
    # The mock's own warning (the real SDK says nothing), once per run; allowed: the example is `wrong: true`.
    result.expect("finished without a numeric value for the sweep metric 'val_loss'", count=10)
    assert sweep.best_run() is None


def test_fixed_metric_example_gives_every_run_a_numeric_val_loss(listings, lang):
    result = listings.run("metric-fixed", lang).check()
    sweep = sweep_of(result, PROJECT[lang])
    assert len(sweep.runs) == 10
    assert all(isinstance(run.summary["val_loss"], float) for run in sweep.runs)  # and no warning (harness)
    best = sweep.best_run()
    assert best.summary["val_loss"] == min(run.summary["val_loss"] for run in sweep.runs)
