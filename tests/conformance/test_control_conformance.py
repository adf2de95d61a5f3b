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

The probe runs in a session of its own (conftest.py: PROBES), since one of its scenarios sends
SIGINT to its whole process group, as Ctrl+C in a terminal does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PROBE = HERE / "probe_control.py"


@pytest.fixture(scope="module")
def real(probe_result) -> dict:
    return probe_result("control", "real")["facts"]


@pytest.fixture(scope="module")
def mock(probe_result) -> dict:
    return probe_result("control", "mock")["facts"]


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
