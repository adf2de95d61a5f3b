"""Conformance of the reference mock (tests/mock_wandb) with the real wandb 0.31.

Runs in the nox session ``conformance``, whose environment has the real
``wandb==0.31.*`` installed from PyPI plus the mock's dependencies (pyyaml,
sweeps==0.2.0, numpy) and pytest.  The mock is *not* installed there: both
packages are called ``wandb`` and use absolute ``wandb.`` imports, so instead of
aliasing modules inside one interpreter, each side is probed in its own
subprocess with the same script (probe_facts.py):

* real: ``python probe_facts.py`` (site-packages' wandb);
* mock: ``PYTHONPATH=tests/mock_wandb/src python probe_facts.py`` (the mock
  shadows the real one).

Both run with WANDB_MODE=offline, a temporary WANDB_DIR, and no API key; the
real SDK's offline service talks to its local helper process only.

Compared, one test per item:

* ``inspect.signature`` of every mirrored function and method (parameter
  names, kinds, defaults and annotation text; return annotations too, except
  the documented differences in RETURN_ANNOTATION_DIFFERENCES);
* every exception type and message that can be produced offline (log/config
  before init, log of a non-dict or non-string keys, log after finish,
  ConfigError on a changed value, missing config attribute/item, the ambiguous
  min/max bounds error of sweep creation), and offline behaviour and terminal
  lines (config key stripping/hiding, nested summary merge, the sweep-lock
  warning, wandb.init's id/project/entity ignored inside a sweep, login
  offline, reinit, sweep-id parsing, schema-violation warning
  lines, command-macro argument forms, the sweep parameter file format);
* the option names of ``wandb sweep`` and ``wandb agent``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
MOCK_SRC = HERE.parent / "mock_wandb" / "src"
PROBE = HERE / "probe_facts.py"

# Return annotations that differ on purpose (documented in the mock's docstrings).
RETURN_ANNOTATION_DIFFERENCES = {
    "wandb.apis.public.Run.history": "the mock returns a list of dicts, never a DataFrame",
    "wandb.apis.public.Run.scan_history": "the mock yields dicts from a generator",
}


@pytest.fixture(scope="session")
def real(probe_result) -> dict:
    data = probe_result("facts", "real")
    import importlib.metadata

    assert importlib.metadata.version("wandb").startswith("0.31."), "the session must install wandb==0.31.*"
    return data


@pytest.fixture(scope="session")
def mock(probe_result) -> dict:
    return probe_result("facts", "mock")


def _signature_targets() -> list[str]:
    text = PROBE.read_text()
    block = text.split("SIGNATURE_TARGETS = [", 1)[1].split("]", 1)[0]
    return re.findall(r'"([^"]+)"', block)


def _fact_names() -> list[str]:
    # Parsed from the probe's source so each fact is its own test id.
    text = PROBE.read_text()
    names = re.findall(r'f\["([^"]+)"\]', text)
    names += [f"log {n}" for n in ("set", "list", "None", "str", "int")]
    names += [f"parse sweep id {p}" for p in ["abc", "p/abc", "e/p/abc", "a/b/c/d", "/abc"]]
    for cfg in ["bad goal", "min >= max", "bad method", "no method", "bad param", "probabilities", "log_uniform", "valid"]:
        names += [f"violations {cfg}", f"violation lines {cfg}"]
    names += [f"define_metric error {label}" for label in re.findall(r'\("([^"]+)", dict\(name=', text)]
    names += [f"histogram error {label}" for label in re.findall(r'\("([^"]+)", dict\((?:sequence|np_histogram)=', text)]
    return sorted(set(names))


@pytest.mark.parametrize("target", _signature_targets())
def test_signature(real, mock, target):
    r, m = real["signatures"][target], mock["signatures"][target]
    assert "error" not in r, r
    assert m.get("params") == r["params"], f"{target}: parameters differ"
    if target not in RETURN_ANNOTATION_DIFFERENCES:
        assert m.get("return") == r["return"], f"{target}: return annotation differs"


@pytest.mark.parametrize("name", _fact_names())
def test_offline_fact(real, mock, name):
    assert name in real["facts"], f"probe produced no fact {name!r}"
    assert mock["facts"].get(name) == real["facts"][name]


def _help_options(command: list[str], env: dict) -> set[str]:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z_-]*)", result.stdout)) - {"--help"}


@pytest.mark.parametrize("command", ["sweep", "agent", "controller"])
def test_cli_options(command, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WANDB_")}
    env.update(WANDB_MODE="offline", WANDB_DIR=str(tmp_path))
    env.pop("PYTHONPATH", None)
    real_opts = _help_options([sys.executable, "-m", "wandb", command, "--help"], env)
    env["PYTHONPATH"] = str(MOCK_SRC)
    mock_opts = _help_options([sys.executable, "-m", "wandb", command, "--help"], env)
    hidden = {"--settings"}  # hidden in the real CLI too
    assert real_opts - hidden <= mock_opts, f"missing options: {sorted(real_opts - hidden - mock_opts)}"
