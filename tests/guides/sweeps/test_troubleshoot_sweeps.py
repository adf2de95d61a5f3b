"""docs/{en,es}/guides/sweeps/troubleshoot-sweeps.md: each problem reproduced, with the message
the real wandb 0.31 prints (or the silence it keeps), and each fix.

Every example runs as a reader runs it, in a process of its own; the sweeps of the YAML
examples are created with the command the page gives, `wandb sweep --project <project> <file>`."""

from __future__ import annotations

import re

PROJECT = {"en": "troubleshoot-demo", "es": "demo-problemas"}
PLACEHOLDER = {"en": "your-entity/troubleshoot-demo/sweepID", "es": "tu-entidad/demo-problemas/sweepID"}
AMBIGUOUS = (
    "wandb.errors.errors.CommError: Parameter dropout is ambiguous, please specify bounds as both floats"
    " (for a float_uniform distribution) or ints (for an int_uniform distribution)."
)


def create(listings, lang: str, file: str) -> str:
    """`wandb sweep --project <project> <file>`, as the page tells; the sweep's full path."""
    result = listings.command(["wandb", "sweep", "--project", PROJECT[lang], file], lang).check()
    (sweep_id,) = re.findall(r"Creating sweep with ID: (\w+)", result.stderr)
    return f"mock-entity/{PROJECT[lang]}/{sweep_id}"


def only_sweep(result, lang):
    """The one sweep a script created (it prints its ID), read from the store."""
    return result.api().sweep(f"mock-entity/{PROJECT[lang]}/{result.sweep_id()}")


# --- the metric in a nested dictionary ----------------------------------------------------


def test_a_metric_in_a_nested_dictionary_is_not_the_sweeps_metric(listings, lang):
    result = listings.run("nested-metric", lang).check()
    sweep = only_sweep(result, lang)
    runs = sweep.runs
    assert len(runs) == 2 and all(r.state == "finished" for r in runs)  # no error...
    for run in runs:
        assert "val_loss" not in run.summary  # ...but no val_loss at the top level
        assert set(run.summary["val"]) == {"loss", "acc"}
    # The real SDK says nothing; the mock warns once per run (README, "What it does differently").
    assert result.expect("wandb: WARNING") == [
        f"wandb: WARNING (mock) Run {r.id} finished without a numeric value for the sweep metric 'val_loss';"
        " it never logged 'val_loss'."
        for r in runs
    ]
    assert sweep.best_run() is None  # nothing to rank the runs by


def test_the_metric_at_the_top_level_ranks_the_runs(listings, lang):
    result = listings.run("flat-metric", lang).check()  # and no warning: the harness reads every line
    sweep = only_sweep(result, lang)
    assert all(isinstance(r.summary["val_loss"], float) for r in sweep.runs)
    assert sweep.best_run().config["lr"] == 0.1


# --- ambiguous bounds ------------------------------------------------------------------------


def test_ambiguous_bounds_raise_a_comm_error(listings, lang):
    result = listings.run("ambiguous", lang).check(1)
    result.expect(re.compile(r"^ValueError: Parameter dropout is ambiguous"), count=1)  # the engine's, wrapped
    result.expect("Traceback (most recent call last):", count=2)  # ...in the CommError: two tracebacks
    last = result.stderr.rstrip("\n").splitlines()[-1]
    assert last == AMBIGUOUS
    listings.check_output("ambiguous-output", lang, last + "\n")
    assert not (result.cwd / "wandb" / "mock-store.sqlite").exists()  # no sweep was created


# --- a run ID or name in wandb.init ---------------------------------------------------------


def test_an_id_passed_to_init_is_ignored_and_a_name_is_kept(listings, lang):
    result = listings.run("init-id", lang).check()
    err = result.stderr
    listings.check_output("init-id-output", lang, err)
    runs = only_sweep(result, lang).runs
    assert len(runs) == 2 and all(r.state == "finished" for r in runs)
    assert err.count("wandb: WARNING Ignoring run_id 'baseline' when running a sweep.") == 2
    assert len(re.findall("WARNING", err)) == 2
    assert "baseline" not in {r.id for r in runs}  # each run has the ID the agent gave it
    assert [r.name for r in runs] == ["baseline", "baseline"]  # but they share one name


def test_project_and_entity_passed_to_init_are_ignored_too(listings, lang):
    """The page's "`project` and `entity` are ignored the same way" (not a listing of its own):
    the init-id example with project and entity instead of id."""
    script = listings["init-id"].path(lang).read_text(encoding="utf-8")
    call = 'wandb.init(id="baseline", name="baseline")'
    assert call in script
    script = script.replace(call, 'wandb.init(project="elsewhere", entity="someone")')
    result = listings.command(["python", "-c", script], lang).check()
    assert result.expect("wandb: WARNING") == [
        "wandb: WARNING Ignoring project 'elsewhere' when running a sweep.",
        "wandb: WARNING Ignoring entity 'someone' when running a sweep.",
    ] * 2  # once per run
    runs = only_sweep(result, lang).runs
    assert {(run.entity, run.project) for run in runs} == {("mock-entity", PROJECT[lang])}


# --- a malformed sweep path -------------------------------------------------------------------


def test_a_path_with_sweeps_in_it_is_refused_with_exit_status_0(listings, lang):
    result = listings.shell(["bad-path"], lang).check(0)  # sic: the agent exits with status 0
    listings.check_output("bad-path-output", lang, result.stderr)
    assert "ERROR Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep" in result.stderr
    assert "Agent Starting Run" not in result.stderr


# --- a program that does not exist, a program that fails ------------------------------------


def test_a_program_that_does_not_exist_fails_three_times_then_the_agent_stops(listings, lang):
    path = create(listings, lang, listings["typo"].file)
    result = listings.shell(["agent"], lang, replace={PLACEHOLDER[lang]: path}).check()
    err = result.stderr
    assert err.count("Agent Starting Run") == 3
    result.expect("trian.py': [Errno 2] No such file or directory", count=3)  # Python's own message
    result.expect("wandb: ERROR", count=1)
    result.expect("wandb: ERROR Detected 3 failed runs in the first 60 seconds, shutting down.", count=1)
    assert "wandb: ERROR Detected 3 failed runs in the first 60 seconds, shutting down.\n" \
        "wandb: To disable this check set WANDB_AGENT_DISABLE_FLAPPING=true\n" in err
    runs = result.api().sweep(path).runs
    assert [(r.state, r.exit_code) for r in runs] == [("failed", 2)] * 3
    listings.ran("typo")


def test_yaml_exponents_are_strings_and_the_program_fails(listings, lang):
    path = create(listings, lang, listings["strings"].file)
    out = listings.shell(["agent"], lang, replace={PLACEHOLDER[lang]: path}).check()
    runs = out.api().sweep(path).runs
    # The sweep accepted the values, the agent showed them as if they were numbers...
    assert [r.config["lr"] for r in runs] == ["1e-5", "1e-4"]
    assert re.findall(r"^wandb: \tlr: (.*)$", out.stderr, re.M) == ["1e-5", "1e-4"]
    # ...and the program failed on its first use of lr, once per run, each time with two
    # tracebacks (`with wandb.init()` prints it, then Python does), and no warning or error
    # of the agent's (two failures: below its limits; the harness reads every line).
    assert [r.state for r in runs] == ["failed", "failed"]
    out.expect("Traceback (most recent call last):", count=4)
    out.expect(re.compile(r"^TypeError: can't multiply sequence by non-int of type 'float'$"), count=4)
    listings.ran("strings", "train")

    # The page's fix, `1.0e-5`: numbers, and the same program runs to the end (in a process
    # of its own, as a reader runs it).
    strings = listings["strings"].path(lang).read_text(encoding="utf-8")
    assert "[1e-5, 1e-4]" in strings
    fixed = listings.workdir(lang) / "fixed.yaml"
    fixed.write_text(strings.replace("[1e-5, 1e-4]", "[1.0e-5, 1.0e-4]"), encoding="utf-8")
    path = create(listings, lang, fixed.name)
    result = listings.shell(["agent"], lang, replace={PLACEHOLDER[lang]: path}).check()
    runs = result.api().sweep(path).runs
    assert [r.config["lr"] for r in runs] == [1e-05, 0.0001]
    assert [r.state for r in runs] == ["finished", "finished"]
    assert all(r.summary["epoch"] == 2 and isinstance(r.summary["val_loss"], float) for r in runs)


# --- nothing left to run ----------------------------------------------------------------------


def test_an_agent_on_a_finished_sweep_runs_nothing(listings, lang):
    result = listings.run("exhausted", lang).check()
    listings.check_output("exhausted-output", lang, result.stderr)
    sweep = only_sweep(result, lang)
    assert len(sweep.runs) == 2  # count=5, but the grid has two combinations
    assert sweep.state == "FINISHED"
    assert result.stdout.rstrip().endswith(": FINISHED")
    assert result.stderr.count("Sweep Agent: Waiting for job.\nwandb: Sweep Agent: Exiting.") == 2

