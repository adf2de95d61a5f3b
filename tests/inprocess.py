"""Run a page's Python listing in the test's own process, as `python <file>` would run it.

For examples whose cost is mostly starting Python and importing the sweep engine (already
imported in the test's process): the listing runs with runpy in its language's work folder,
with the harness's seed and a store of its own, and prints into the Result of
`listings.here` (read like any run's). The variables a sweep or an agent sets
(WANDB_PROJECT...) are put back afterwards. Needs the `mock_wandb` fixture. The lines it
runs are recorded by `listings.here`, so that a listing that only runs this way is held to
the never-executed-lines check like any other.

Also the in-process checks of sweep configuration listings that the configuration pages
(define-sweep-configuration, sweep-configuration-options) share: `sample_here` creates the
sweep of a YAML listing with wandb.sweep and lets wandb.agent run trials on it;
`wandb_sweep_here` runs `wandb sweep <file>` through the CLI's entry point. Both need the
`seeded_mock` fixture (conftest.py).
"""

from __future__ import annotations

import random
import runpy
import shutil

from harness import SEED, PageListings, Result

SAMPLES = 12  # trials sample_here lets the agent run, unless told otherwise

# What wandb.sweep, wandb.agent and wandb.init may set in os.environ while the listing runs.
SET_BY_THE_SDK = (
    "WANDB_DIR", "WANDB_MOCK_SEED", "WANDB_ENTITY", "WANDB_PROJECT", "WANDB_SWEEP_ID", "WANDB_RUN_ID",
    "WANDB_SWEEP_PARAM_PATH",
)


def run_here(listings: PageListings, lang: str, key: str, monkeypatch) -> Result:
    import wandb

    workdir = listings.workdir(lang)
    for name in SET_BY_THE_SDK:  # registered with monkeypatch, so restored after the test
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("WANDB_DIR", str(workdir))
    monkeypatch.setenv("WANDB_MOCK_SEED", SEED)
    monkeypatch.chdir(workdir)
    random.seed(0)
    try:
        with listings.here([key], lang) as result:
            runpy.run_path(str(workdir / listings[key].file), run_name="__main__")
    finally:
        wandb.teardown()
    result.env = {"WANDB_DIR": str(workdir)}  # for result.api()
    return result


def run_cli_here(listings: PageListings, lang: str, key: str, monkeypatch) -> Result:
    """A shell listing made of `export NAME=value` and `wandb ...` lines, run through the
    CLI's entry point in this process (same folder, seed and store as run_here); its Result,
    whose returncode is the last command's exit status."""
    import shlex

    from wandb.cli import main

    workdir = listings.workdir(lang)
    for name in SET_BY_THE_SDK:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("WANDB_DIR", str(workdir))
    monkeypatch.setenv("WANDB_MOCK_SEED", SEED)
    monkeypatch.chdir(workdir)
    with listings.here([key], lang) as result:
        for line in listings[key].path(lang).read_text(encoding="utf-8").splitlines():
            argv = shlex.split(line, comments=True)
            if not argv:
                continue
            if argv[0] == "export":
                name, _, value = argv[1].partition("=")
                monkeypatch.setenv(name, value)
            else:
                assert argv[0] == "wandb", f"{key}: not a wandb command: {line}"
                result.returncode = main(argv[1:])
    result.env = {"WANDB_DIR": str(workdir)}
    return result


def config_of(listings: PageListings, key: str, lang: str) -> dict:
    """The configuration that YAML listing `key` holds, as the YAML parser reads it."""
    import yaml

    return yaml.safe_load(listings[key].path(lang).read_text(encoding="utf-8"))


def sample_here(wandb, listings: PageListings, key: str, lang: str, count: int | None = SAMPLES):
    """Create the sweep of configuration listing `key` with wandb.sweep, let an agent run `count`
    trials, in this process; (the run's Result, the sweep's ID, what each run's config held)."""
    config = config_of(listings, key, lang)
    seen: list[dict] = []

    def train():
        with wandb.init() as run:
            seen.append(dict(run.config))
            run.log({"val_loss": 1.0 / (1 + len(seen))})

    with listings.here([key], lang) as result:
        sweep_id = wandb.sweep(config)
        wandb.agent(sweep_id, function=train, count=count)
    return result, sweep_id, seen


def wandb_sweep_here(listings: PageListings, key: str, lang: str) -> Result:
    """`wandb sweep <file>` of configuration listing `key`, in the current folder, through the
    command's entry point in this process; its Result (returncode: the exit status)."""
    from wandb.cli import main

    path = listings[key].path(lang)
    shutil.copy(path, path.name)
    with listings.here([key], lang) as result:
        result.returncode = main(["sweep", path.name])
    return result


def refused_here(listings: PageListings, key: str, lang: str, message: str) -> None:
    """`wandb sweep` of the wrong configuration listing `key` (wandb_sweep_here) exits 1
    with `message`, prints what its output listing `<key>-output` shows, and creates no sweep."""
    err = wandb_sweep_here(listings, key, lang).check(1).stderr
    assert message in err
    listings.check_output(f"{key}-output", lang, err)
    from wandb import _store

    assert _store.connect().execute("SELECT COUNT(*) FROM sweeps").fetchone()[0] == 0  # nothing created
