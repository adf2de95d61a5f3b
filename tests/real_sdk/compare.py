"""`nox -s real-sdk`: every listing of every page on the real wandb 0.31 too, compared with
what the same listing does on the mock. See README.md ("Every listing on the real SDK").

Runs in the session's environment (the real `wandb==0.31.*`); the mock side runs with
`--mock-python`, the Python of a second environment holding the mock (never both in one).

    python tests/real_sdk/compare.py --mock-python .nox/real-sdk/mock/bin/python [--only TEXT] [--jobs N]

What runs how is decided by plan.py; the processes of both sides import
hooks/sitecustomize.py (no network; the mock records, the real side replays); the named
normalisations are in normalise.py; the real runs' config, summary and history are read
from their offline transaction logs (txlog.py). Prints one line per listing and language
(`same`, `differs: ...`, `not comparable: ...`), the counts, the differences in full, and
writes the same to build/real-sdk/report.txt. Exits 1 if anything differs.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

import forkserver  # noqa: E402
import normalise  # noqa: E402
import txlog  # noqa: E402
from docskit import LANGS  # noqa: E402
from harness import same_svg  # noqa: E402
from plan import REASONS, TRIALS, Plan, Rule, Unit  # noqa: E402

HOOKS = HERE / "hooks"
CLI_TRIALS = HERE / "cli_trials.py"
FORKSERVER = HERE / "forkserver.py"
# What each side's fork server imports once (forkserver.py): the SDK, what the listings
# import, and for the mock its sweep engine (loaded the way the mock loads it).
PRELOAD = {
    "real": ["wandb", "wandb.sdk.wandb_init", "wandb.agents.pyagent", "wandb.wandb_agent", "yaml"],
    # (scipy.stats, which random and bayes sampling need, is a stand-in until an attribute is
    # read. Not sklearn, which only bayes needs: few listings use it, and the servers' start
    # delays every unit.)
    "mock": ["wandb", "yaml", "wandb._engine:_sweeps()", "wandb._engine:_schema_validator()", "scipy.stats:norm"],
}
MOCK_STORE = HERE / "mock_store.py"
REPORT = ROOT / "build" / "real-sdk" / "report.txt"
SEED = "0"  # WANDB_MOCK_SEED, as in tests/harness.py
# A process that takes longer has hung (a listing takes a few seconds even on a loaded
# machine); generous, so that a slow machine never fails the session for being slow.
TIMEOUT = 300
# Any HTTP the real SDK's service process (Go, outside Python's socket rules) might try goes
# to a closed port on the loopback interface.
CLOSED = "http://127.0.0.1:9"
# Real-SDK settings that only skip work nothing here looks at (system metrics, git and
# machine metadata, code saving); they print nothing and change no logged value.
QUIET_SETTINGS = {
    "WANDB_X_DISABLE_STATS": "true",
    "WANDB_X_DISABLE_META": "true",
    "WANDB_X_DISABLE_MACHINE_INFO": "true",
    "WANDB_DISABLE_GIT": "true",
    "WANDB_DISABLE_CODE": "true",
}
# A made-up API key, as a reader who is logged in has one: the real wandb.sweep and wandb.agent
# look for credentials before anything else (wandb_login._login); nothing verifies it, since
# nothing connects anywhere.
API_KEY = "docs" + "0" * 36
# Keys the SDKs keep for themselves: `_wandb` (the real SDK's own config and summary entry),
# `_runtime` and `_timestamp` (times).
INTERNAL_KEYS = ("_wandb", "_runtime", "_timestamp")


@dataclass
class Proc:
    rc: int
    stdout: str
    stderr: str


@dataclass
class Outcome:
    """What comparing one unit in one language found."""

    differences: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # full diffs, for the end of the report
    cut: str | None = None  # "line N: why" when both sides stopped where the server is needed
    not_comparable: str | None = None
    normalisations: set[str] = field(default_factory=set)
    figures: dict[str, str] = field(default_factory=dict)  # figure file -> verdict
    seconds: float = 0.0
    steps: list = field(default_factory=list)  # (what, seconds) of each process run

    def verdict(self) -> str:
        if self.differences:
            return "differs: " + "; ".join(self.differences)
        if self.not_comparable:
            return "not comparable: " + self.not_comparable
        return "same" + (f" (up to {self.cut})" if self.cut else "")


class Session:
    def __init__(self, mock_python: Path, tmp: Path):
        self.mock_python = mock_python
        self.entity = subprocess.run(
            [mock_python, "-c", "from wandb._settings import DEFAULT_ENTITY; print(DEFAULT_ENTITY)"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        self.real_python = Path(sys.executable)
        self.tmp = tmp
        self.home = tmp / "home"
        self.home.mkdir()

    # --- running ------------------------------------------------------------------------------
    def env(self, side: str, folder: Path, record: Path, plan: Path | None = None, main: bool = False) -> dict:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("WANDB_", "DOCS_", "COV_CORE"))}
        for key in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
            keep.pop(key, None)
        python = self.mock_python if side == "mock" else self.real_python
        work = record.parent
        env = {
            **keep,
            "PATH": os.pathsep.join([str(python.parent), keep.get("PATH", "")]),
            "PYTHONPATH": str(HOOKS),
            "PYTHONHASHSEED": "0",
            "PYTHONIOENCODING": "utf-8",
            "HOME": str(self.home),
            "TMPDIR": str(work),
            "WANDB_DIR": str(folder),
            "WANDB_CONFIG_DIR": str(work / "config"),
            "WANDB_CACHE_DIR": str(work / "cache"),
            "WANDB_DATA_DIR": str(work / "data"),
            "DOCS_REAL_RECORD": str(record),
            "DOCS_REAL_TRIALS": str(TRIALS),
            "HTTP_PROXY": CLOSED,
            "HTTPS_PROXY": CLOSED,
            "ALL_PROXY": CLOSED,
        }
        if main:
            env["DOCS_REAL_MAIN"] = "1"
        if side == "mock":
            env["WANDB_MOCK_SEED"] = SEED
        else:
            # The entity the mock's server gives every reader (its DEFAULT_ENTITY), as the W&B
            # server gives a logged-in reader their default entity; offline the real SDK has none.
            env.update(WANDB_MODE="offline", WANDB_API_KEY=API_KEY, WANDB_ENTITY=self.entity, DOCS_REAL_PLAN=str(plan))
            env.update(QUIET_SETTINGS)
        return env

    def start_forkservers(self) -> None:
        """One fork server per side (forkserver.py), so that each side imports its SDK once."""
        self.servers = {}
        starting = []
        for side, python in (("mock", self.mock_python), ("real", self.real_python)):
            sock = self.tmp / f"{side}.sock"
            env = {k: v for k, v in self.env(side, self.tmp, self.tmp / "none").items() if not k.startswith("DOCS_REAL_")}
            log = open(self.tmp / f"{side}-forkserver.log", "w+", encoding="utf-8")
            proc = subprocess.Popen(
                [python, FORKSERVER, sock, *PRELOAD[side]], env=env, cwd=self.tmp,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
            )
            starting.append((side, python, proc, sock, log))
        for side, python, proc, sock, log in starting:  # both load at the same time
            ready = proc.stdout.readline()  # the server prints "ready" once it listens
            if ready.strip() != "ready":
                log.seek(0)
                raise RuntimeError(f"the {side} fork server did not start (exit status {proc.wait()}):\n{log.read()}")
            self.servers[python] = (proc, sock, log)

    def stop_forkservers(self) -> str:
        """Stop the fork servers; what they printed themselves (nothing, normally)."""
        said = []
        for proc, _, log in getattr(self, "servers", {}).values():
            proc.stdin.close()
            proc.wait(timeout=TIMEOUT)
            log.seek(0)
            said.append(log.read())
            log.close()
        return "".join(said)

    def run(self, args: list, cwd: Path, env: dict, out: Outcome | None = None) -> Proc:
        t0 = time.monotonic()
        proc = self._run([str(a) for a in args], cwd, env)
        if out is not None:
            out.steps.append((" ".join(Path(a).name for a in args[1:3]), time.monotonic() - t0))
        return proc

    def _run(self, args: list[str], cwd: Path, env: dict) -> Proc:
        server = getattr(self, "servers", {}).get(Path(args[0]))
        if server is None:
            proc = subprocess.run(
                args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
            )
            return Proc(proc.returncode, proc.stdout, proc.stderr)
        out = Path(tempfile.mkstemp(dir=self.tmp, suffix=".out")[1])
        err = Path(tempfile.mkstemp(dir=self.tmp, suffix=".err")[1])
        request = {"argv": args[1:], "cwd": str(cwd), "env": env, "stdout": str(out), "stderr": str(err)}
        if args[0] == str(self.real_python):
            # cli_trials.py starts the trials through the same server (it says how).
            env["DOCS_REAL_FORKSERVER"] = str(server[1])
        returncode = forkserver.request(str(server[1]), request, TIMEOUT)
        proc = Proc(returncode, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))
        out.unlink()
        err.unlink()
        return proc

    def folders(self, unit: Unit, lang: str) -> tuple[Path, Path]:
        """A copy of the listing's language folder per side (figures left out: examples draw them)."""
        box = Path(tempfile.mkdtemp(prefix=re.sub(r"\W+", "-", unit.name)[-40:] + f"-{lang}-", dir=self.tmp))
        src = unit.topic.folder / lang
        figures = {l.file for l in unit.topic.listings.values() if l.figure}
        out = []
        for side in ("mock", "real"):
            (box / side).mkdir()
            folder = box / side / "listing"
            shutil.copytree(src, folder, ignore=lambda d, names: [n for n in names if n in figures])
            out.append(folder)
        return out[0], out[1]

    def mock_store(self, folder: Path, record: Path) -> dict:
        env = self.env("mock", folder, record)
        proc = self.run([self.mock_python, MOCK_STORE], folder, env)
        assert proc.rc == 0, f"reading the mock's store failed:\n{proc.stderr}"
        return json.loads(proc.stdout)

    # --- units ----------------------------------------------------------------------------------
    def program(self, unit: Unit, lang: str) -> Outcome:
        listing = unit.topic[unit.key]
        mock_dir, real_dir = self.folders(unit, lang)
        mock_rec, real_rec = mock_dir.parent / "record.jsonl", real_dir.parent / "record.jsonl"
        out = Outcome()
        mock = self.run([self.mock_python, listing.file], mock_dir, self.env("mock", mock_dir, mock_rec, main=True), out)
        events = journal(mock_rec)
        store = self.mock_store(mock_dir, mock_rec)
        plan = replay_plan(events)
        plan_path = real_dir.parent / "plan.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        real = self.run([self.real_python, listing.file], real_dir, self.env("real", real_dir, real_rec, plan_path, main=True), out)
        real_events = journal(real_rec)
        ids = {e["run_id"]: e["mock_id"] for e in real_events if e["event"] == "init" and e.get("mock_id")}
        compare_cut(out, events, real_events, mock, real)
        if out.not_comparable:
            return out
        if mock.rc != real.rc:
            out.differences.append(f"exit status: mock {mock.rc}, real {real.rc}")
        compare_text(out, "stdout", mock.stdout, real.stdout, mock_dir, real_dir, ids, stdout=True)
        compare_text(out, "stderr", mock.stderr, real.stderr, mock_dir, real_dir, ids)
        compare_runs(out, started(store["runs"], events), txlog.offline_runs(real_dir), ids)
        compare_sweeps(out, store["sweeps"], real_events)
        compare_agents(out, plan["agent_calls"], real_events)
        nothing = not (mock.stdout or mock.stderr or store["runs"] or store["sweeps"] or real.stdout or real.stderr)
        if out.cut and nothing and not out.differences:
            out.not_comparable, out.cut = f"server-first ({out.cut})", None
        for key, other in unit.topic.listings.items():
            if other.figure and other.file in listing.path(lang).read_text(encoding="utf-8"):
                out.figures[other.file] = compare_figure(other.file, mock_dir, real_dir, out.cut)
        return out

    def cli_sweep(self, unit: Unit, lang: str) -> Outcome:
        config_file = unit.topic[unit.key].file
        mock_dir, real_dir = self.folders(unit, lang)
        mock_rec, real_rec = mock_dir.parent / "record.jsonl", real_dir.parent / "record.jsonl"
        env = self.env("mock", mock_dir, mock_rec)
        wandb = [self.mock_python, self.mock_python.parent / "wandb"]  # the mock's `wandb` command
        out = Outcome()
        created = self.run([*wandb, "sweep", *unit.sweep_args, config_file], mock_dir, env, out)
        path = re.search(r"Run sweep agent with: wandb agent (\S+)", created.stderr)
        if created.rc != 0 or not path:
            last = (created.stderr.strip().splitlines() or ["?"])[-1]
            out.not_comparable = f"mock-refused-sweep ({last})"
            return out
        agent = self.run([*wandb, "agent", "--count", TRIALS, path[1]], mock_dir, env, out)
        events = journal(mock_rec)
        store = self.mock_store(mock_dir, mock_rec)
        jobs, commands, built = [], {}, None
        for e in events:  # the mock's CLI agent builds a trial's command, then announces the trial
            if e["event"] == "command":
                built = (e["command"], e["interpreter"])
            elif e["event"] == "job":
                jobs.append({"run_id": e["run_id"], "params": e["params"]})
                commands[e["run_id"]], built = built, None
        plan = {
            "path": path[1],
            "config": store["sweeps"][0]["config"],
            "jobs": jobs,
            "result": str(real_dir.parent / "trials.json"),
            **replay_plan(events),
        }
        plan_path = real_dir.parent / "plan.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        real = self.run([self.real_python, CLI_TRIALS, plan_path], real_dir, self.env("real", real_dir, real_rec, plan_path), out)
        if real.rc != 0 or not Path(plan["result"]).exists():
            out.differences.append(f"the real trials could not be started (exit status {real.rc})")
            out.details.append(f"{unit.name} [{lang}] cli_trials.py stderr:\n{real.stderr}")
            return out
        trials = json.loads(Path(plan["result"]).read_text(encoding="utf-8"))
        real_events = journal(real_rec)
        ids = {e["run_id"]: e["mock_id"] for e in real_events if e["event"] == "init" and e.get("mock_id")}
        by_id = {r["id"]: r for r in store["runs"]}
        for trial in trials:
            mock_command, interpreter = commands.get(trial["run_id"]) or (None, None)
            if mock_command is None:
                out.differences.append(f"trial {trial['run_id']}: the mock's agent built no command")
            else:
                out.normalisations.add("interpreter")
                mock_command = ["python" if c == interpreter else c for c in mock_command]
                mock_command = [normalise.folders(c, str(mock_dir)) for c in mock_command]
                real_command = [normalise.folders(c, str(real_dir)) for c in trial["command"]]
                if mock_command != real_command:
                    out.differences.append(f"trial {trial['run_id']}: command {mock_command} (mock) vs {real_command} (real)")
            mock_run = by_id.get(trial["run_id"]) or {}
            if (mock_run.get("exit_code") or 0) != trial["returncode"]:
                out.differences.append(
                    f"trial {trial['run_id']}: exit status mock {mock_run.get('exit_code')}, real {trial['returncode']}"
                )
        compare_text(out, "stdout", agent.stdout, real.stdout, mock_dir, real_dir, ids, stdout=True)
        compare_text(out, "stderr", agent.stderr, real.stderr, mock_dir, real_dir, ids, cli_agent=True)
        compare_runs(out, started(store["runs"], events), txlog.offline_runs(real_dir), ids)
        if [j["run_id"] for j in jobs] != [t["run_id"] for t in trials]:
            out.differences.append("the real side ran other trials than the mock proposed")
        return out


# --- the records of both sides ---------------------------------------------------------------
def journal(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def started(runs: list[dict], events: list[dict]) -> list[dict]:
    """The mock's runs that a wandb.init() started (a trial whose program failed before
    calling it has a row in the mock's store, as on the server, but no run on the real side:
    its exit status is compared instead)."""
    inited = {e["run_id"] for e in events if e["event"] == "rng"}
    return [r for r in runs if r["id"] in inited]


def replay_plan(events: list[dict]) -> dict:
    """What the real side replays of the mock's answers: seeds by run, the main process's own
    runs in order, its sweeps, and its agent calls with the trials each one ran."""
    seeds = {e["run_id"]: e["seed"] for e in events if e["event"] == "rng"}
    calls: list[list[dict]] = []
    for e in events:
        if not e["main"]:
            continue
        if e["event"] == "agent":
            calls.append([])
        elif e["event"] == "job" and calls:
            calls[-1].append({"run_id": e["run_id"], "params": e["params"]})
    trials = {j["run_id"] for call in calls for j in call}
    return {
        "seeds": seeds,
        "main_runs": [e["run_id"] for e in events if e["event"] == "rng" and e["main"] and e["run_id"] not in trials],
        "sweeps": [
            {k: e[k] for k in ("id", "entity", "project", "warnings", "error", "refused_by") if k in e}
            for e in events
            if e["event"] == "sweep" and e["main"]
        ],
        "agent_calls": calls,
    }


# --- comparisons ---------------------------------------------------------------------------
def compare_cut(out: Outcome, mock_events, real_events, mock: Proc, real: Proc) -> None:
    mock_cut = next((e for e in mock_events if e["event"] == "cutoff" and e["main"]), None)
    real_cut = next((e for e in real_events if e["event"] == "cutoff" and e["main"]), None)
    if real_cut and real_cut["what"].startswith("the server's answer to UpsertSweep"):
        # The real SDK's own checks passed and it sent the sweep; the mock refused it as the
        # server would: what the server answers is not observable offline.
        refusal = real_cut["what"][len("the server's answer to UpsertSweep (") : -1]
        out.not_comparable = f"server-refusal (line {real_cut['line']}; the mock: {refusal})"
        return
    if real_cut and real_cut["what"].startswith("GraphQL"):
        out.not_comparable = f"server-request ({real_cut['what']}, line {real_cut['line']})"
        return
    if mock_cut or real_cut:
        where = lambda e: e and f"line {e.get('line')}: {e['what']}"  # noqa: E731
        if not (mock_cut and real_cut and (mock_cut["file"], mock_cut["line"]) == (real_cut["file"], real_cut["line"])):
            out.differences.append(f"stopped at {where(mock_cut) or 'the end'} (mock) but {where(real_cut) or 'the end'} (real)")
        else:
            out.cut = f"line {real_cut['line']}: {real_cut['what']} needs the W&B server"


def compare_text(out, name, mock_text, real_text, mock_dir, real_dir, ids, stdout=False, cli_agent=False):
    mock_text = normalise.folders(mock_text, str(mock_dir))
    real_text = normalise.folders(real_text, str(real_dir))
    applied = {"folders"}
    if ids:
        real_text = normalise.run_ids(real_text, ids)
        applied.add("run-ids")
    if stdout:
        steps = [
            ("offline-banner", None, normalise.offline_banner),
            ("sweep-url", None, normalise.sweep_url),
        ]
    else:
        steps = [
            ("offline-banner", None, normalise.offline_banner),
            ("credentials", None, normalise.credentials),
            ("mock-only", normalise.mock_only, None),
            ("agent-pacing", normalise.agent_pacing, None),
            ("library-frames", lambda t: normalise.library_frames(t, "<folder>"), lambda t: normalise.library_frames(t, "<folder>")),
        ]
        if cli_agent:
            steps.append(("cli-agent-lines", normalise.cli_agent_lines, None))
    for label, on_mock, on_real in steps:
        new_mock = on_mock(mock_text) if on_mock else mock_text
        new_real = on_real(real_text) if on_real else real_text
        if (new_mock, new_real) != (mock_text, real_text):
            applied.add(label)
        mock_text, real_text = new_mock, new_real
    out.normalisations |= applied
    if mock_text != real_text:
        diff = list(difflib.unified_diff(mock_text.splitlines(), real_text.splitlines(), "mock", "real", lineterm="", n=1))
        changed = [l for l in diff[2:] if l[:1] in "+-"]
        first = changed[0] if changed else "?"
        more = f" (+{len(changed) - 1} more)" if len(changed) > 1 else ""
        out.differences.append(f"{name}: {first[:160]!r}{more}")
        out.details.append(f"{name}:\n" + "\n".join(diff))


def _plain(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in INTERNAL_KEYS}


def same_value(mock, real) -> bool:
    """Equal, and of the same JSON type, except that the real SDK's JSON may write a float
    that is a whole number without its decimal point (1.0 as 1)."""
    if isinstance(mock, dict) and isinstance(real, dict):
        return mock.keys() == real.keys() and all(same_value(mock[k], real[k]) for k in mock)
    if isinstance(mock, list) and isinstance(real, list):
        return len(mock) == len(real) and all(same_value(a, b) for a, b in zip(mock, real))
    if isinstance(mock, bool) or isinstance(real, bool):
        return type(mock) is type(real) and mock == real
    if isinstance(mock, float) and isinstance(real, int):
        return mock == real
    return type(mock) is type(real) and mock == real


def compare_runs(out: Outcome, mock_runs: list[dict], real_runs: dict[str, dict], ids: dict[str, str]) -> None:
    mapped = {ids.get(rid, rid): run for rid, run in real_runs.items()}
    mock_ids, real_ids = [r["id"] for r in mock_runs], list(mapped)
    if sorted(mock_ids) != sorted(real_ids):
        out.differences.append(f"runs: mock {mock_ids}, real {real_ids} (as mock ids)")
        return
    for mock in mock_runs:
        real = mapped[mock["id"]]
        for part in ("config", "summary"):
            a, b = _plain(mock.get(part) or {}), _plain(real[part])
            if not same_value(a, b):
                out.differences.append(f"run {mock['id']}: {part} {a} (mock) vs {b} (real)")
        a = [_plain(row) for row in mock.get("history") or []]
        b = [_plain(row) for row in real["history"]]
        if not same_value(a, b):
            out.differences.append(f"run {mock['id']}: history {a} (mock) vs {b} (real)")
        real_state = None if real["exit_code"] is None else ("finished" if real["exit_code"] == 0 else "failed")
        if mock.get("state") != real_state:
            out.differences.append(f"run {mock['id']}: state {mock.get('state')} (mock) vs {real_state} (real, exit code {real['exit_code']})")


def compare_sweeps(out: Outcome, mock_sweeps: list[dict], real_events: list[dict]) -> None:
    stored = {s["id"]: s for s in mock_sweeps}
    for e in real_events:
        if e["event"] != "sweep-request" or not e.get("mock") or "id" not in e["mock"]:
            continue
        mine = stored.get(e["mock"]["id"])
        if mine is not None and not same_value(mine["config"], e["sent"]["config"]):
            out.differences.append(f"sweep {mine['id']}: the real SDK sends {e['sent']['config']}, the mock stores {mine['config']}")
        sent_project = e["sent"].get("project")
        if mine is not None and sent_project and sent_project != mine["project"]:
            out.differences.append(f"sweep {mine['id']}: project {sent_project} (real) vs {mine['project']} (mock)")


def compare_agents(out: Outcome, mock_calls: list[list[dict]], real_events: list[dict]) -> None:
    real_trials: list[list[str]] = []
    for e in real_events:
        if e["event"] == "agent-call" and e["main"]:
            real_trials.append([])
        elif e["event"] == "trial" and e["main"] and real_trials:
            real_trials[-1].append(e["run_id"])
    mock_trials = [[j["run_id"] for j in call] for call in mock_calls]
    if real_trials != mock_trials[: len(real_trials)] or len(real_trials) > len(mock_trials):
        out.differences.append(f"agent trials: mock {mock_trials}, real {real_trials}")


def compare_figure(file: str, mock_dir: Path, real_dir: Path, cut: str | None) -> str:
    a, b = mock_dir / file, real_dir / file
    if not a.exists() and not b.exists():
        return "not comparable: not-drawn" + (f" (both stop at {cut})" if cut else "")
    if not (a.exists() and b.exists()):
        return f"differs: drawn by the {'mock' if a.exists() else 'real'} side only"
    same = same_svg(a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8"))
    return "same" if same else "differs: the drawn SVGs differ"


# --- the report ----------------------------------------------------------------------------
def category(verdict: str) -> str:
    for name in ("differs", "not comparable", "same"):
        if verdict.startswith(name):
            return name
    return "not run"


class Report:
    def __init__(self, plan: Plan, results: dict[tuple[str, str], Outcome]):
        self.plan, self.results = plan, results

    def verdict(self, topic, key: str, lang: str, depth: int = 0) -> str:
        rule: Rule = self.plan.rule(topic, key)
        if rule.kind == "reason":
            detail = ", ".join(f"{v}" for v in rule.detail.values())
            return f"not comparable: {rule.reason}" + (f" ({detail})" if detail else "")
        if rule.kind == "as":
            return f"{self.verdict(topic, rule.other, lang, depth + 1)} ({rule.via} {rule.other})"
        if rule.kind == "figure":
            if rule.other is None:
                return "not comparable: a figure no listing of the page draws"
            drawer = self.plan.rule(topic, rule.other)
            found = [self.results[u.name, lang].figures.get(topic[key].file) for u in drawer.units if (u.name, lang) in self.results]
            found = [f for f in found if f]
            if not found:
                if lang != "en":
                    en = self.verdict(topic, key, "en")
                    return twin(en)
                return f"{self.verdict(topic, rule.other, lang)} (drawn by {rule.other})"
            return combine(found) + f" (drawn by {rule.other})"
        # units
        if any(lang not in u.langs for u in rule.units):
            return twin(self.verdict(topic, key, "en"))
        if any((u.name, lang) not in self.results for u in rule.units):
            return "not run (--only)"
        verdicts = [self.results[u.name, lang].verdict() for u in rule.units]
        via = [u.key for u in rule.units if u.key != key]
        text = combine(verdicts)
        return text + (f" (as the trials of {', '.join(via)})" if via and text.startswith("same") else "")

    def lines(self) -> list[tuple[str, str, str]]:
        """(name, verdict, kind of listing) per listing and language."""
        rows = []
        for topic in self.plan.topics:
            for key, listing in topic.listings.items():
                kind = "figure" if listing.figure else {"python": "Python", "yaml": "YAML", "bash": "shell", "text": "output"}.get(listing.lexer, listing.lexer)
                for lang in LANGS:
                    rows.append((f"{topic.name}:{key} ({listing.file}) [{lang}]", self.verdict(topic, key, lang), kind))
        return rows


def twin(en: str) -> str:
    if en.startswith("not run"):
        return en
    if en.startswith("same"):
        return "same as en (pair-checked twin)"
    if en.startswith("not comparable"):
        return en
    return "differs: as en (pair-checked twin)"


def combine(verdicts: list[str]) -> str:
    differs = [v for v in verdicts if v.startswith("differs")]
    if differs:
        return "; ".join(differs)
    nc = [v for v in verdicts if v.startswith("not comparable")]
    if len(nc) == len(verdicts):
        return "; ".join(dict.fromkeys(nc))
    return next(v for v in verdicts if not v.startswith("not comparable"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mock-python", required=True, type=Path)
    parser.add_argument("--only", help="run only the units whose name contains this text")
    parser.add_argument("--jobs", type=int, default=4, help="units run at the same time")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--no-fork", action="store_true", help="a fresh interpreter per listing (slower; see forkserver.py)")
    args = parser.parse_args()

    started, load_before = time.monotonic(), os.getloadavg()[0]
    plan = Plan()
    tasks = [(u, lang) for u in plan.units for lang in sorted(u.langs) if not args.only or args.only in u.name]
    tmp = Path(tempfile.mkdtemp(prefix="real-sdk-"))
    session = Session(args.mock_python.absolute(), tmp)
    if not args.no_fork:
        session.start_forkservers()

    def run(task):
        unit, lang = task
        t0 = time.monotonic()
        try:
            outcome = (session.program if unit.kind == "program" else session.cli_sweep)(unit, lang)
        except Exception as e:  # a failure of the comparison itself is a difference too
            import traceback

            outcome = Outcome(differences=[f"the comparison failed: {type(e).__name__}: {e}"], details=[traceback.format_exc()])
        outcome.seconds = time.monotonic() - t0
        return task, outcome

    # Sweeps first: they take longest.
    tasks.sort(key=lambda t: (t[0].kind != "cli-sweep", "sweep" not in t[0].topic[t[0].key].path("en").read_text(encoding="utf-8")))
    results = {}
    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for (unit, lang), outcome in pool.map(run, tasks):
                results[unit.name, lang] = outcome
    finally:
        forkservers_said = session.stop_forkservers()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    report = Report(plan, results)
    rows = [r for r in report.lines() if not r[1].startswith("not run")]
    text = []
    for name, verdict, _ in rows:
        text.append(f"{name}: {verdict}")
    counts = {c: sum(1 for _, v, _ in rows if category(v) == c) for c in ("same", "differs", "not comparable")}
    used = sorted(set().union(*(o.normalisations for o in results.values())) if results else set())
    text.append("")
    text.append(
        f"{len(rows)} listing-language lines: {counts['same']} same, {counts['differs']} differ, "
        f"{counts['not comparable']} not comparable; {len(tasks)} units run on both sides "
        f"({sum(1 for u, l in tasks if l == 'en')} in English, {sum(1 for u, l in tasks if l == 'es')} in Spanish) "
        f"in {time.monotonic() - started:.1f} s (1-minute load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after; {args.jobs} units at a time)"
    )
    slowest = sorted(results.items(), key=lambda kv: -kv[1].seconds)[:5]
    text.append("slowest units: " + "; ".join(
        f"{name} [{lang}] {o.seconds:.1f} s ({', '.join(f'{what} {t:.1f}' for what, t in o.steps)})"
        for (name, lang), o in slowest
    ))
    text.append("normalisations applied (normalise.py): " + ", ".join(used))
    kinds: dict[str, list[int]] = {}
    for _, verdict, kind in rows:
        if verdict.startswith("same as en"):
            continue
        row = kinds.setdefault(kind, [0, 0, 0, 0])
        row[["same", "same (up to", "differs", "not comparable"].index(
            "same (up to" if verdict.startswith("same (up to") else category(verdict))] += 1
    text.append("by kind of listing (both languages; Spanish twins that did not run left out): " + "; ".join(
        f"{kind} {a} same, {b} same up to a cut, {c} differ, {d} not comparable" for kind, (a, b, c, d) in kinds.items()
    ))
    reasons = {}
    for _, verdict, _ in rows:
        m = re.match(r"not comparable: ([\w-]+)", verdict)
        if m:
            reasons[m[1]] = reasons.get(m[1], 0) + 1
    text.append("not comparable, by reason (plan.py: REASONS):")
    for name, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
        text.append(f"  {name} ({count}): {REASONS.get(name, '?')}")
    for (name, lang), outcome in sorted(results.items()):
        if outcome.details:
            text.append(f"\n--- {name} [{lang}] ---")
            text.extend(outcome.details)
    if forkservers_said:
        text.append(f"\nthe fork servers printed:\n{forkservers_said}")
    if args.keep:
        text.append(f"temporary folders kept in {tmp}")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(text) + "\n", encoding="utf-8")
    print("\n".join(text))
    return 1 if counts["differs"] else 0


if __name__ == "__main__":
    sys.exit(main())
