"""The probes of the conformance session, started together.

Each module compares facts that one probe script gathers on both sides: probe_facts.py
(test_conformance.py) and probe_control.py (test_control_conformance.py), each run once on
the real wandb (site-packages) and once on the mock (``PYTHONPATH=tests/mock_wandb/src``,
which shadows it). The four processes are independent (own WANDB_DIR, own working folder),
so they start as soon as the session knows which modules run, and run side by side while
the session goes on; a module's fixtures then wait for their two. Their output goes to files,
not pipes: a probe that printed more than a pipe holds would otherwise block until read.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
MOCK_SRC = HERE.parent / "mock_wandb" / "src"
# kind -> (probe script, the module that compares its facts, own process session).
# probe_control.py sends SIGINT to its whole process group (as Ctrl+C in a terminal does),
# so it runs in a session of its own.
PROBES = {
    "facts": (HERE / "probe_facts.py", "test_conformance.py", False),
    "control": (HERE / "probe_control.py", "test_control_conformance.py", True),
}
# Seconds for a whole probe, from its start: the real SDK's imports and its agent runs take
# about 6 s on a quiet machine; 300 s leaves room for four probes on two busy cores.
TIMEOUT = 300
# probe_control.py sends Ctrl+C (SIGINT) to agents: as in the mock's tests
# (tests/mock_wandb/tests/conftest.py), a pytest started with SIGINT ignored (a background
# command of a shell without job control) must not hand that to the probes.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


class Probe:
    def __init__(self, kind: str, side: str, work: Path):
        script, _, own_session = PROBES[kind]
        self.name = f"{side} {script.name}"
        self.own_session = own_session
        env = {k: v for k, v in os.environ.items() if not k.startswith("WANDB_")}
        env.update(WANDB_MODE="offline", WANDB_DIR=str(work), WANDB_DISABLE_CODE="true")
        env.pop("PYTHONPATH", None)
        if side == "mock":
            env["PYTHONPATH"] = str(MOCK_SRC)
        self.out, self.err = open(work / "stdout.txt", "w+"), open(work / "stderr.txt", "w+")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, str(script)], cwd=work, env=env, stdout=self.out, stderr=self.err,
            stdin=subprocess.DEVNULL, text=True, start_new_session=own_session,
        )
        self.data: dict | None = None

    def result(self) -> dict:
        """The probe's facts (waits for it to end)."""
        if self.data is None:
            try:
                self.proc.wait(timeout=max(0.0, self.started + TIMEOUT - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.kill()
                pytest.fail(f"{self.name} did not end within {TIMEOUT} s:\n{self._output()}", pytrace=False)
            stdout = self._output(stderr=False)
            assert "@@FACTS@@" in stdout, f"{self.name} failed (exit {self.proc.returncode}):\n{self._output()}"
            self.data = json.loads(stdout.split("@@FACTS@@", 1)[1])
            assert "facts_error" not in self.data, f"{self.name} raised:\n{self.data['facts_error']}"
        return self.data

    def _output(self, stderr: bool = True) -> str:
        self.out.seek(0)
        text = self.out.read()
        if stderr:
            self.err.seek(0)
            text += "\n" + self.err.read()
        return text

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                if self.own_session:
                    os.killpg(self.proc.pid, signal.SIGKILL)  # its agents and trials too
                else:
                    self.proc.kill()
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.out.close()
        self.err.close()


_STARTED: dict[tuple[str, str], Probe] = {}


def _start(kind: str, side: str) -> Probe:
    if (kind, side) not in _STARTED:
        work = Path(tempfile.mkdtemp(prefix=f"probe-{kind}-{side}-"))
        _STARTED[(kind, side)] = Probe(kind, side, work)
    return _STARTED[(kind, side)]


def pytest_collection_finish(session):
    """Start the probes of the modules that will run (after -k and -m), all at once."""
    if session.config.option.collectonly:
        return
    modules = {item.path.name for item in session.items}
    for kind, (_, module, _) in PROBES.items():
        if module in modules:
            for side in ("real", "mock"):
                _start(kind, side)


def pytest_sessionfinish(session, exitstatus):
    import shutil

    for probe in _STARTED.values():
        probe.kill()
        shutil.rmtree(Path(probe.out.name).parent, ignore_errors=True)


@pytest.fixture(scope="session")
def probe_result():
    """probe_result(kind, side): that probe's facts, started at collection (or now)."""
    return lambda kind, side: _start(kind, side).result()
