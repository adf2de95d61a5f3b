"""docs/{en,es}/guides/sweeps/local-controller.md: controller type local, `wandb controller`,
`wandb sweep --controller` and wandb.controller(), each with a real agent.

The controller and the agents run as a reader runs them, in terminals of their own: the
test starts the controller's listing in the background, runs the agent's listing, then
waits for the controller, which exits once the sweep is finished. The status lines the
controller prints depend on when it looks at the sweep, so the page shows their start
(compared exactly) and the test checks the others' form.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from harness import TIMEOUT
from inprocess import run_cli_here, run_here

PROJECT = {"en": "local-demo", "es": "demo-local"}
PLACEHOLDER = {"en": "your-entity/local-demo/sweepID", "es": "tu-entidad/demo-local/sweepID"}
GRID = [0.1, 0.01, 0.001]


def status_line(sweep_id: str) -> re.Pattern:
    return re.compile(rf"Sweep: {sweep_id} \(grid\) \| Runs: \d( \((Pending|Running|Finished): \d(, (Running|Finished): \d)*\))?")


def background(listings, lang: str, key: str, replace: dict[str, str]) -> subprocess.Popen:
    """A shell listing started in the page's folder and left running (a second terminal)."""
    text = listings[key].path(lang).read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old, new)
    return subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", text],
        cwd=listings.workdir(lang),
        env=listings.env(lang),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen, head: str = "") -> tuple[str, str]:
    """(stdout, stderr) of a background listing once it exited, with what was read already.
    Reads through the same file objects: communicate() would skip what they buffered."""
    out = proc.stdout.read()
    err = head + proc.stderr.read()
    proc.wait(timeout=TIMEOUT)
    assert proc.returncode == 0, f"exited {proc.returncode}\n--- stdout ---\n{out}\n--- stderr ---\n{err}"
    return out, err


def check_sweep(result, path: str) -> None:
    sweep = result.api().sweep(path)
    assert sweep.config["controller"] == {"type": "local"}
    assert sweep.state == "FINISHED"
    runs = sweep.runs
    assert [r.config["lr"] for r in runs] == GRID  # the grid's order, one run per point
    assert all(r.state == "finished" for r in runs)
    assert [row["val_loss"] for row in runs[0].history()] == [0.1, 0.05, 0.1 / 3]


@pytest.fixture
def create_sweep(listings, lang, mock_wandb, monkeypatch):
    """Run the page's `export WANDB_PROJECT=...` and `wandb sweep config.yaml` in the
    example's folder, through the CLI's entry point in this process (where the sweep
    engine is imported once for all tests); return the sweep's ID."""

    def create() -> str:
        err = run_cli_here(listings, lang, "create", monkeypatch).check().stderr
        listings.check_output("create-output", lang, err)
        listings.ran("config")
        return re.search(r"Creating sweep with ID: (\w+)", err)[1]

    return create


def test_wandb_controller_and_an_agent(listings, lang, create_sweep):
    sweep_id = create_sweep()
    path = f"mock-entity/{PROJECT[lang]}/{sweep_id}"

    controller = background(listings, lang, "controller", {"wandb controller sweepID": f"wandb controller {sweep_id}"})
    agent = listings.shell(["agent"], lang, replace={PLACEHOLDER[lang]: path}).check()
    out, err = finish(controller)
    listings.ran("controller", "train")
    assert err == ""
    lines = out.splitlines()
    listings.check_output("controller-output", lang, "\n".join(lines[:2]) + "\n")
    assert lines[0] == "Starting wandb controller..."
    assert all(status_line(sweep_id).fullmatch(line) for line in lines[1:]), out
    assert re.findall(r"Agent Starting Run: \w+ with config:\nwandb: \tlr: (\S+)", agent.stderr) == [str(v) for v in GRID]
    check_sweep(agent, path)


def test_wandb_sweep_controller_and_an_agent(listings, lang):
    controller = background(listings, lang, "sweep-controller", {})
    head = ""
    while "Run sweep agent with:" not in head:
        line = controller.stderr.readline()
        assert line, f"wandb sweep --controller exited early:\n{head}"
        head += line
    path = re.search(r"wandb agent (\S+)$", head, re.M)[1]
    agent = listings.shell(["agent"], lang, replace={PLACEHOLDER[lang]: path}).check()
    out, err = finish(controller, head)
    listings.ran("sweep-controller", "config", "train")
    listings.check_output("sweep-controller-output", lang, err)
    assert err.endswith("wandb: Starting wandb controller...\n")
    sweep_id = path.rsplit("/", 1)[1]
    assert path == f"mock-entity/{PROJECT[lang]}/{sweep_id}"
    assert all(status_line(sweep_id).fullmatch(line) for line in out.splitlines()), out
    check_sweep(agent, path)


def test_wandb_controller_in_python(listings, lang):
    result = listings.run("python", lang).check()
    listings.ran("train")
    sweep_id = re.search(r"^Create sweep with ID: (\w+)$", result.stdout, re.M)[1]
    actions = [line for line in result.stdout.splitlines() if line.startswith("INFO: ")]
    listings.check_output("python-output", lang, "\n".join(actions) + "\n")
    others = [line for line in result.stdout.splitlines()[1:] if not line.startswith("INFO: ")]
    assert others and all(status_line(sweep_id).fullmatch(line) for line in others), result.stdout
    assert result.stderr.count("Starting wandb agent") == 1
    check_sweep(result, f"mock-entity/{PROJECT[lang]}/{sweep_id}")


def test_configure_then_create(listings, lang, mock_wandb, monkeypatch):
    result = run_here(listings, lang, "configure", monkeypatch)
    sweep_id = re.fullmatch(r"Create sweep with ID: (\w+)\n", result.stdout)[1]
    config = result.api().sweep(f"mock-entity/uncategorized/{sweep_id}").config
    assert config["method"] == "grid" and config["program"] == "train.py"
    assert config["parameters"] == {"lr": {"distribution": "categorical", "values": GRID}}
    assert config["metric"] == {"name": "val_loss", "goal": "minimize"}
    assert config["controller"] == {"type": "local"}
