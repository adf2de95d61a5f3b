"""Shared helpers of the benchmarks: timing, subprocesses, machine description.

Every figure is a wall-clock time in seconds measured with time.perf_counter(); a figure
reported as a median says how many runs it is the median of (`n`).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tools" / "bench"
RESULTS = BENCH / "results"
# What the nox sessions pass to every command (noxfile.py: ENV).
NOX_ENV = {"NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
MARK = "BENCH_RESULT "  # a child process prints its in-process timings after this marker


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def clean_env(**extra: str) -> dict[str, str]:
    """os.environ without WANDB_* and coverage variables, plus NOX_ENV and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WANDB_", "COV_CORE"))}
    env.update(NOX_ENV)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def stats(values: list[float]) -> dict:
    """Median (the figure we report), min, max and n of a list of timings."""
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
        "n": len(values),
    }


def run_timed(args: list[str], *, cwd: Path | str | None = None, env: dict | None = None,
              timeout: float = 600, stdin: str = "") -> dict:
    """Run a process to completion; wall time, return code and (tails of) its output."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            args, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=timeout
        )
        rc, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        rc = "timeout"
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
    except OSError as exc:
        rc, out, err = "oserror", "", str(exc)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the process and of every descendant it waited for: unlike wall time,
    # barely affected by other users' load on the machine.
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return {"wall": wall, "cpu": cpu, "rc": rc, "stdout": out, "stderr": err}


def marked(stdout: str) -> dict | None:
    """The last BENCH_RESULT {...} line a child printed."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    return None


def tail(text: str, n: int = 15) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return "\n".join(lines[-n:])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 3)


def machine() -> dict:
    """The machine the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        m = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        mem_gib = round(int(m[1]) / 1024**2, 1) if m else None
    except OSError:
        pass
    os_name = platform.platform()
    try:
        m = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', Path("/etc/os-release").read_text(), re.M)
        if m:
            os_name = f"{m[1]} (Linux {platform.release()})"
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu": cpu,
        "cores": usable,
        "cpu_count": os.cpu_count(),
        "memory_gib": mem_gib,
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "os": os_name,
        "uv": shutil.which("uv") is not None,
    }


def python_bin(name: str) -> str:
    """An executable installed next to this interpreter (the bench session's env), else PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else (shutil.which(name) or name)
