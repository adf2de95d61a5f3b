"""The full gate, split by session, with warm environments, then as it runs.

Each session of the gate is warmed first, not timed: by default `nox -s <session>
--install-only` (nox creates or updates its virtualenv and installs its packages, and runs
nothing), or with --warm full a whole run of the session. Then it is timed N times with `nox -R -s <session>`
(-R: reuse the virtualenv and skip the installs), whole-process wall time, median of N.
A session that does not exist in noxfile.py is reported as missing; one that fails is
reported with its exit code and the tail of its output, and its time still counts.
Then every session but real-sdk (which has a budget of its own) is timed together, N times,
in one `nox -R -s ...`: the gate as `nox` runs it, with noxfile.py's own scheduling (its
light sessions side by side, see GATE_JOBS there).

The nox command is $BENCH_NOX if set (e.g. "python -m nox"), else `nox` on PATH. The bench
session's own virtualenv is taken off PATH, so nested nox sessions find the same
interpreters as a maintainer's `nox` would.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
from pathlib import Path

from common import ROOT, log, run_timed, stats, tail



def nox_command() -> list[str]:
    if os.environ.get("BENCH_NOX"):
        return shlex.split(os.environ["BENCH_NOX"])
    found = shutil.which("nox", path=_path_without_bench_env())
    return [found] if found else [sys.executable, "-m", "nox"]


def _path_without_bench_env() -> str:
    here = str(Path(sys.executable).parent)
    venv = os.environ.get("VIRTUAL_ENV")
    parts = [p for p in os.environ.get("PATH", "").split(os.pathsep)
             if p and p != here and not (venv and p.startswith(venv))]
    return os.pathsep.join(parts)


def nox_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME", "BENCH_NOX")
           and not k.startswith(("NOX_", "WANDB_"))}
    env["PATH"] = _path_without_bench_env()
    env["PYTHONUNBUFFERED"] = "1"
    return env


def list_sessions(nox: list[str]) -> tuple[list[str], str | None]:
    r = run_timed([*nox, "-l", "--json"], cwd=ROOT, env=nox_env(), timeout=120)
    if r["rc"] == 0:
        try:
            # `nox -l --json` lists the default sessions, i.e. the gate, by full name ("mock(3.12)").
            return [s["session"] for s in json.loads(r["stdout"])], None
        except ValueError:
            pass
    r2 = run_timed([*nox, "-l"], cwd=ROOT, env=nox_env(), timeout=120)
    names = re.findall(r"^[*-] (\S+)", r2["stdout"], re.M)
    return names, None if names else f"nox -l failed: {tail(r['stderr'] + r2['stderr'])}"


def measure(n: int = 1, sessions: list[str] | None = None, warm: str = "install") -> dict:
    nox = nox_command()
    available, err = list_sessions(nox)
    how = {"install": "`nox -s S --install-only`", "full": "a full `nox -s S`", "none": "none"}[warm]
    out: dict = {"nox": " ".join(nox), "n": n, "sessions": {}, "warm": warm, "method": (
        f"warm-up: {how} (not timed); then `nox -R -s S` timed, N={n}; whole-process wall time")}
    if err:
        out["error"] = err
    for name in sessions or available:
        row: dict = {}
        out["sessions"][name] = row
        if name not in available:
            row["status"] = "missing"
            log(f"gate: session {name!r} is not in noxfile.py")
            continue
        if warm != "none":
            extra = ["--install-only"] if warm == "install" else []
            log(f"gate: warming `nox -s {name} {' '.join(extra)}`")
            w = run_timed([*nox, "-s", name, *extra], cwd=ROOT, env=nox_env(), timeout=3600)
            row["warmup"] = {"wall": round(w["wall"], 2), "rc": w["rc"]}
            if w["rc"] != 0:
                row["warmup"]["tail"] = tail(w["stdout"] + w["stderr"], 12)
        walls, rcs, tails = [], [], []
        for i in range(n):
            log(f"gate: timing `nox -R -s {name}` ({i + 1}/{n})")
            r = run_timed([*nox, "-R", "-s", name], cwd=ROOT, env=nox_env(), timeout=3600)
            walls.append(r["wall"])
            rcs.append(r["rc"])
            if r["rc"] != 0:
                tails.append(tail(r["stdout"] + r["stderr"], 15))
        row["commands"] = [line[6:] for line in (r["stdout"] + r["stderr"]).splitlines()
                           if line.startswith("nox > ") and not line.startswith(("nox > Running", "nox > Reusing",
                                                                                   "nox > Session", "nox > Command"))]
        row["time"] = stats(walls)
        row["exit_codes"] = rcs
        row["status"] = "ok" if all(rc == 0 for rc in rcs) else "fails"
        if tails:
            row["tail"] = tails[-1]
    timed = {k: v for k, v in out["sessions"].items() if "time" in v}
    out["total"] = round(sum(v["time"]["median"] for v in timed.values()), 2) if timed else None
    out["complete"] = all(v.get("status") == "ok" for v in out["sessions"].values())
    together = [k for k in timed if k != "real-sdk"]
    if together:
        walls, rcs = [], []
        jobs = str((os.cpu_count() or 1) + 1)  # noxfile.py's GATE_JOBS, which a run naming its sessions does not set
        for i in range(n):
            log(f"gate: timing `nox -R -j {jobs} -s {' '.join(together)}` ({i + 1}/{n})")
            r = run_timed([*nox, "-R", "-j", jobs, "-s", *together], cwd=ROOT, env=nox_env(), timeout=3600)
            walls.append(r["wall"])
            rcs.append(r["rc"])
        out["as_run"] = {"sessions": together, "time": stats(walls), "exit_codes": rcs,
                         "status": "ok" if all(rc == 0 for rc in rcs) else "fails"}
        if rcs[-1] != 0:
            out["as_run"]["tail"] = tail(r["stdout"] + r["stderr"], 15)
    return out


def profile_tests(n_slowest: int = 15) -> dict:
    """The slowest tests of the tests session: `nox -R -s tests -- --durations=N`."""
    nox = nox_command()
    run_timed([*nox, "-s", "tests", "--install-only"], cwd=ROOT, env=nox_env(), timeout=3600)
    r = run_timed([*nox, "-R", "-s", "tests", "--", f"--durations={n_slowest}"], cwd=ROOT, env=nox_env(),
                  timeout=3600)
    text = r["stdout"] + r["stderr"]
    lines, grab = [], False
    for line in text.splitlines():
        if "slowest" in line and "durations" in line:
            grab = True
            continue
        if grab:
            if re.match(r"^\s*[\d.]+s (call|setup|teardown)", line):
                lines.append(line.strip())
            elif lines:
                break
    per_page = [line for line in text.splitlines() if "executions," in line]
    out = {"command": f"nox -R -s tests -- --durations={n_slowest}", "wall": round(r["wall"], 2), "rc": r["rc"],
           "slowest": lines, "examples_executed_per_page": per_page}
    if not lines:
        out["tail"] = tail(text, 10)
    return out
