"""Helpers shared by the mock's tests (a unique module name: no clash with other conftests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


# A guard, not a wait: a mock command that hangs fails its test instead of the session.
# They take about a second; 120 s leaves room for a machine whose cores are all busy.
TIMEOUT = 120


def _run(args: list[str], cwd, env: dict | None, timeout: float):
    """Run a command with the caller's environment plus `env`, stdin closed, text output."""
    return subprocess.run(
        args,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def run_cli(*args: str, cwd: Path | str | None = None, env: dict | None = None, timeout: float = TIMEOUT):
    """Run ``python -m wandb ARGS`` and return the CompletedProcess (text output)."""
    return _run([sys.executable, "-m", "wandb", *args], cwd, env, timeout)


def run_python(code: str, cwd: Path | str | None = None, env: dict | None = None, timeout: float = TIMEOUT):
    """Run ``python -c CODE`` and return the CompletedProcess (text output)."""
    return _run([sys.executable, "-c", code], cwd, env, timeout)
