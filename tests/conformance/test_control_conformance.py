"""Sweep control and preemption: the mock against the real wandb 0.31 (see probe_control.py).

Compared, one test per fact: `Run.mark_preempting` and `wandb.mark_preempting` (signatures,
errors before init and after finish, silence offline); `_set_sweep_state`, which
`wandb sweep --pause/--resume/--stop/--cancel` calls, from every state to every state and on
an unknown sweep (exception types and messages, and whether the state was changed); the lines
`wandb sweep --<state>` prints and what it asks for; and the CLI agent's side of the agent
protocol, given the same scripted server answers: waiting while a sweep is paused, a trial
ending, `exit` and `stop` while a trial runs, a forwarded SIGTERM, Ctrl+C sent to the agent's
process group, and `--term-timeout` (the agent's output, its trials' exit codes, what the trials
saw: process group, arguments, stdin, signals); and the function agent's, given `stop` or
`exit` while its function runs (what the function gets, what the agent prints).

The probe runs in a session of its own (`start_new_session`), since one of its scenarios sends
SIGINT to its whole process group, as Ctrl+C in a terminal does.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
MOCK_SRC = HERE.parent / "mock_wandb" / "src"
PROBE = HERE / "probe_control.py"
TIMEOUT = 300  # seconds for a whole probe: the real SDK's imports and seven agent runs


def _probe(side: str, tmp_path_factory) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WANDB_")}
    work = tmp_path_factory.mktemp(f"control-{side}")
    env.update(WANDB_MODE="offline", WANDB_DIR=str(work), WANDB_DISABLE_CODE="true")
    env.pop("PYTHONPATH", None)
    if side == "mock":
        env["PYTHONPATH"] = str(MOCK_SRC)
    result = subprocess.run(
        [sys.executable, str(PROBE)], cwd=work, env=env, capture_output=True, text=True,
        timeout=TIMEOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    assert "@@FACTS@@" in result.stdout, f"{side} probe failed:\n{result.stdout}\n{result.stderr}"
    data = json.loads(result.stdout.split("@@FACTS@@", 1)[1])
    assert "facts_error" not in data, f"{side} probe raised:\n{data['facts_error']}"
    return data["facts"]


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> dict:
    return _probe("real", tmp_path_factory)


@pytest.fixture(scope="module")
def mock(tmp_path_factory) -> dict:
    return _probe("mock", tmp_path_factory)


def _fact_names() -> list[str]:
    text = PROBE.read_text()
    names = re.findall(r'f\["([^"]+)"\]', text)
    names += [f"set state {c} -> {t}" for c in ("RUNNING", "PAUSED", "FINISHED", "CANCELED")
              for t in ("RUNNING", "PAUSED", "FINISHED", "CANCELED")]
    names += ["set state unknown", "set state unknown, no entity"]
    for args in (["--pause", "e/p/abc"], ["--resume", "abc"], ["--stop", "-e", "ent", "-p", "proj", "abc"],
                 ["--cancel", "p/abc"], ["--stop", "--cancel", "abc"], ["--pause", "a/b/c/d"]):
        names.append(f"cli sweep {' '.join(args)}")
    names += [f"agent {n}" for n in ("paused", "finish-then-paused", "exit-while-running", "stop",
                                     "forwarded-sigterm", "sigint-to-group", "term-timeout",
                                     "function-stop", "function-exit-while-running")]
    return sorted(set(n for n in names if "{" not in n))


@pytest.mark.parametrize("name", _fact_names())
def test_control_fact(real, mock, name):
    assert name in real, f"probe produced no fact {name!r}"
    assert mock.get(name) == real[name]
