"""Helpers shared by the mock's tests (a unique module name: no clash with other conftests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


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


def run_cli(*args: str, cwd: Path | str | None = None, env: dict | None = None, timeout: float = 120):
    """Run ``python -m wandb ARGS`` and return the CompletedProcess (text output)."""
    return _run([sys.executable, "-m", "wandb", *args], cwd, env, timeout)


def run_python(code: str, cwd: Path | str | None = None, env: dict | None = None, timeout: float = 120):
    """Run ``python -c CODE`` and return the CompletedProcess (text output)."""
    return _run([sys.executable, "-c", code], cwd, env, timeout)
