"""docs/{en,es}/guides/sweeps/try-offline.md: the mock's wheel installs into a new virtual
environment as the page says, and every page's "without a W&B account" box runs from it.

The install listing runs as the page shows it, in a folder holding the wheel the site serves
(docskit.offline.wheel(): the same file), with UV_OFFLINE=1. uv then takes the mock's
dependencies (sweeps 0.2.0, numpy, pyyaml and theirs) from its cache, which nox filled when
it installed this session's environment with the same mock; nothing is downloaded, and a
missing package fails the install instead of reaching the network. Each box is then
followed as a reader would: the page's zip unzipped, the environment activated, the box's
commands typed in the unzipped folder, with sockets blocked (tests/no_network) and nothing
of this session's environment on PATH.
"""

from __future__ import annotations

import importlib.metadata
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from docskit import LANGS, offline
from docskit.listings import Topic, all_topics
from harness import DIAGNOSTIC, NO_NETWORK, RUNS, TIMEOUT, PageListings, Result

# Every page whose box the gate runs, each in one language: English and Spanish in turn, so
# that both languages' boxes and files run (a page's twins hold the same code, test_pairs.py).
BOXES = [(t.name, LANGS[i % len(LANGS)]) for i, t in enumerate(t for t in all_topics() if offline.offline_listings(t))]
NO_UV = (
    "no uv: the install steps of {page} use it, and the gate runs them offline from the cache "
    "of the uv that nox uses (noxfile.py passes it as UV; run the tests through nox, or put uv on PATH)"
)
OFFLINE_INSTALL_FAILED = (
    "the install listing failed. With UV_OFFLINE=1, uv takes the mock's dependencies from its "
    "cache, which `nox -s tests` fills when it installs the session's environment; a cache "
    "cleaned since then (`uv cache clean`) lacks them: rerun nox with `-R` removed, or "
    "`uv pip install -e tests/mock_wandb` once with network access.\n"
)


@dataclass
class MockEnv:
    venv: Path
    install: Result


_ENVS: dict[str, MockEnv] = {}  # per language, per test process
# Variables that choose the environment uv installs into, or the Python it uses: nox sets
# the first two to its session's environment. A reader's shell has none of them; left in,
# `uv pip install` would install the wheel into this session's environment.
CHOOSES_AN_ENVIRONMENT = ("UV_PYTHON", "UV_PROJECT_ENVIRONMENT", "UV_SYSTEM_PYTHON", "VIRTUAL_ENV", "CONDA_PREFIX")


@pytest.fixture(scope="session")
def mock_env(tmp_path_factory):
    """The environment the page's install listing creates, in a language (made once)."""

    def get(lang: str) -> MockEnv:
        if lang not in _ENVS:
            uv = shutil.which(os.environ.get("UV") or "uv")
            if not uv:
                pytest.fail(NO_UV.format(page=f"docs/{lang}/{offline.PAGE}"), pytrace=False)
            listings = PageListings(offline.PAGE, tmp_path_factory.mktemp(f"try-offline-{lang}"))
            folder = listings.workdir(lang)
            shutil.copy(offline.wheel(), folder)  # the reader downloaded it here
            path = os.pathsep.join([str(Path(sys.executable).parent), str(Path(uv).parent), os.environ.get("PATH", "")])
            env = {"UV_OFFLINE": "1", "UV_NO_PROGRESS": "1", "PATH": path, **dict.fromkeys(CHOOSES_AN_ENVIRONMENT)}
            result = listings.shell(["install"], lang, env=env)
            assert result.returncode == 0, OFFLINE_INSTALL_FAILED + result.stdout + result.stderr
            assert "environment at: wandb-mock\n" in result.stderr, f"installed elsewhere:\n{result.stderr}"
            _ENVS[lang] = MockEnv(folder / "wandb-mock", result)
        return _ENVS[lang]

    return get


def test_the_install_listing_names_the_wheel_the_site_serves(listings, lang):
    name = offline.wheel().name
    text = listings["install"].path(lang).read_text(encoding="utf-8")
    assert f"./{name}\n" in text, (
        f"{listings['install'].path(lang)} should install ./{name}, the wheel the build serves "
        f"(its version is tests/mock_wandb/pyproject.toml's): update the listing"
    )


def test_the_wheel_installs_the_mock_and_its_dependencies_offline(mock_env, lang):
    env = mock_env(lang)
    assert "+ wandb-reference-mock==" in env.install.stderr, env.install.stderr
    assert not env.install.diagnostics, env.install.stderr  # no warning or error line (harness.DIAGNOSTIC)

    declared = importlib.metadata.metadata("wandb-reference-mock")  # this session's editable install
    probe = (
        "import importlib.metadata as m, json, shutil, wandb; "
        "print(json.dumps({'file': wandb.__file__, 'version': m.version('wandb-reference-mock'), "
        "'requires': m.requires('wandb-reference-mock'), 'sweeps': m.version('sweeps'), "
        "'wandb_command': shutil.which('wandb')}))"
    )
    proc = subprocess.run(
        ["bash", "-c", 'source "$1/bin/activate" && python -c "$2"', "bash", str(env.venv), probe],
        env=_reader_env(), capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert proc.returncode == 0, f"{proc.stderr}\n--- the install printed ---\n{env.install.stderr}"
    facts = json.loads(proc.stdout)
    # The mock came from the wheel, into the new environment, and not from this session's.
    assert Path(facts["file"]).is_relative_to(env.venv), facts["file"]
    assert Path(facts["wandb_command"]) == env.venv / "bin" / "wandb"
    assert facts["version"] == declared["Version"]
    # The wheel carries the mock's dependencies, and the engine is the version it needs.
    assert sorted(facts["requires"]) == sorted(declared.get_all("Requires-Dist"))
    assert facts["sweeps"] == "0.2.0"


@pytest.mark.parametrize("topic,lang", BOXES, ids=[f"{t}-{l}" for t, l in BOXES])
def test_each_page_box_runs_from_the_wheel(topic, lang, mock_env, tmp_path):
    topic = Topic(topic)
    venv = mock_env(lang).venv
    with zipfile.ZipFile(io.BytesIO(offline.page_zip(topic, lang))) as zf:
        zf.extractall(tmp_path)
    folder = tmp_path / offline.folder_name(topic)
    assert folder.is_dir(), f"the zip of {topic.name} has no folder {folder.name}/"
    script = "\n".join([
        f"source {venv}/bin/activate",
        # Not the page's commands: a guard that they reach the new environment's mock.
        f'[ "$(command -v python)" = "{venv}/bin/python" ] && [ "$(command -v wandb)" = "{venv}/bin/wandb" ]',
        f"cd {folder}",
        offline.commands(topic, lang),
    ])
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], env=_reader_env(), capture_output=True, text=True, timeout=TIMEOUT,
    )
    RUNS[f"{topic.name}.md"] += 1
    where = f"the box of docs/{lang}/{topic.name}.md, run from the wheel:\n{offline.commands(topic, lang)}"
    assert proc.returncode == 0, f"{where}\nexited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    # A box shows an example that works: no warning or error line at all (harness.DIAGNOSTIC).
    printed = proc.stdout + proc.stderr
    assert not [line for line in printed.splitlines() if DIAGNOSTIC.match(line)], f"{where}\nprinted:\n{printed}"


def _reader_env() -> dict[str, str]:
    """A reader's shell: no WANDB_* variable and nothing of this session's environment on
    PATH; sockets blocked, so that a network access fails instead of passing unseen."""
    session_bin = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WANDB_", "COV_CORE", "PYTHON")) and k not in CHOOSES_AN_ENVIRONMENT}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != session_bin)
    env["PYTHONPATH"] = str(NO_NETWORK)
    env["PYTHONIOENCODING"] = "utf-8"
    return env
