"""The mock SDK (tests/mock_wandb) against the real wandb 0.31, in the same bench run.

The real SDK lives in its own virtual environment (.nox/bench-real-wandb, created on first
use with uv if present, else venv + pip), never next to the mock. Measured, each as the
median of N processes, run interleaved (mock, real, mock, real, ...) so that drift in the
machine's speed hits both sides alike:

- `python -c "import wandb"`: whole-process wall time; also `python -c pass` per
  interpreter, so that the interpreter's own start can be subtracted;
- init + 10 logs + finish: timed inside the process (import excluded) and whole-process,
  for the mock (its normal mode) and the real SDK with WANDB_MODE=offline and =disabled;
- each Python example of the guide pages (docs/*/guides/; --examples "" for every page): the original script with the mock (a full sweep,
  which the real SDK cannot run without the W&B server), and a single-run version
  (wandb.sweep/wandb.agent replaced by one call of the training function with the
  sweep's first parameter values; a program named by a sweep YAML gets those values
  through wandb.init's config) with the mock, the real SDK offline and the real SDK
  disabled.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import MARK, ROOT, clean_env, log, marked, ratio, run_timed, stats, tail

REAL_VENV = ROOT / ".nox" / "bench-real-wandb"
REAL_SPEC = "wandb==0.31.*"

CYCLE = f'''
import json, time
t0 = time.perf_counter()
import wandb
t1 = time.perf_counter()
run = wandb.init(project="bench-cycle", config={{"lr": 0.01, "epochs": 10}})
t2 = time.perf_counter()
for i in range(10):
    wandb.log({{"loss": 1.0 / (i + 1), "acc": i / 10}})
t3 = time.perf_counter()
run.finish()
t4 = time.perf_counter()
print({MARK!r} + json.dumps({{"import": t1 - t0, "init": t2 - t1, "log10": t3 - t2,
                              "finish": t4 - t3, "cycle": t4 - t1, "module": wandb.__file__}}))
'''

SINGLE_RUN = f'''
"""Run a guide example as one run: wandb.sweep/agent become one call of the function."""
import json, random, runpy, sys, time
script, params, argv = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
t0 = time.perf_counter()
import wandb
t1 = time.perf_counter()
chosen = dict(params)

def pick(spec):
    if not isinstance(spec, dict):
        return None
    if "value" in spec:
        return spec["value"]
    if spec.get("values"):
        return spec["values"][0]
    if "min" in spec:
        return spec["min"]
    return None

def sweep(sweep=None, entity=None, project=None, **kwargs):
    for k, v in ((sweep or {{}}).get("parameters") or {{}}).items():
        if pick(v) is not None:
            chosen[k] = pick(v)
    return "bench-single-run"

def agent(sweep_id, function=None, entity=None, project=None, count=None, **kwargs):
    function()
    if getattr(wandb, "run", None) is not None:
        wandb.finish()

_init = wandb.init

inits = []

def init(*args, **kwargs):
    inits.append(1)
    config = kwargs.get("config") or {{}}
    kwargs["config"] = {{**dict(config), **chosen}}
    return _init(*args, **kwargs)

wandb.sweep, wandb.agent, wandb.init = sweep, agent, init
random.seed(0)
sys.argv = [script, *argv]
runpy.run_path(script, run_name="__main__")
if getattr(wandb, "run", None) is not None:
    wandb.finish()
t2 = time.perf_counter()
print({MARK!r} + json.dumps({{"import": t1 - t0, "script": t2 - t1, "inits": len(inits)}}))
'''

ORIGINAL = (
    "import random, runpy, sys; random.seed(0); sys.argv = [sys.argv[1]]; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)


def ensure_real_venv() -> dict:
    """Create (once) the venv holding the real wandb 0.31; say how, and which version."""
    py = REAL_VENV / "bin" / "python"
    info: dict = {"path": str(REAL_VENV.relative_to(ROOT)), "created": False}
    if not _real_version(py):
        log(f"creating {info['path']} with {REAL_SPEC} (separate from the mock)")
        if REAL_VENV.exists():
            shutil.rmtree(REAL_VENV)
        REAL_VENV.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        uv = shutil.which("uv")
        if uv:
            cmds = [[uv, "venv", "--python", sys.executable, str(REAL_VENV)],
                    [uv, "pip", "install", "--python", str(py), REAL_SPEC]]
            info["installer"] = "uv"
        else:
            cmds = [[sys.executable, "-m", "venv", str(REAL_VENV)],
                    [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", REAL_SPEC]]
            info["installer"] = "venv + pip"
        for cmd in cmds:
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)} failed:\n{tail(proc.stderr)}")
        info["created"] = True
        info["install_seconds"] = round(time.perf_counter() - t0, 1)
    info["version"] = _real_version(py)
    if not (info["version"] or "").startswith("0.31"):
        raise RuntimeError(f"real wandb in {REAL_VENV} is {info['version']!r}, not 0.31")
    info["python"] = subprocess.run([str(py), "-c", "import platform; print(platform.python_version())"],
                                    capture_output=True, text=True).stdout.strip()
    return info


def _real_version(py: Path) -> str | None:
    if not py.exists():
        return None
    proc = subprocess.run(
        [str(py), "-c", "import importlib.metadata as m; print(m.version('wandb'))"], capture_output=True, text=True
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def _mock_check(py: str) -> str:
    proc = subprocess.run([py, "-c", "import wandb; print(wandb.__file__)"], capture_output=True, text=True,
                          env=clean_env())
    if proc.returncode != 0:
        raise RuntimeError(f"the mock does not import: {tail(proc.stderr)}")
    path = proc.stdout.strip()
    if "mock_wandb" not in path:
        raise RuntimeError(f"`import wandb` in {py} is not the mock: {path}")
    return path


def measure(n_import: int = 10, n_cycle: int = 7, n_example: int = 3, examples: str = "guides/") -> dict:
    out: dict = {}
    mock_py = sys.executable
    real_py = str(REAL_VENV / "bin" / "python")
    out["mock_module"] = _mock_check(mock_py)
    out["real"] = ensure_real_venv()
    out["mock_python"] = mock_py
    tmp = Path(tempfile.mkdtemp(prefix="bench-mock-real-"))
    try:
        out["import"] = _imports(mock_py, real_py, n_import, tmp)
        out["cycle"] = _cycles(mock_py, real_py, n_cycle, tmp)
        out["examples_scope"] = f"Python listings of the pages under docs/*/{examples}, English files"
        out["examples"] = _examples(mock_py, real_py, n_example, tmp, examples)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _env(workdir: Path, **extra: str) -> dict:
    (workdir / "wandb").mkdir(parents=True, exist_ok=True)
    settings = {"WANDB_DIR": str(workdir / "wandb"), "WANDB_SILENT": "true", "WANDB_MOCK_SEED": "0",
                "PYTHONHASHSEED": "0"}
    return clean_env(**{**settings, **extra})


def _imports(mock_py: str, real_py: str, n: int, tmp: Path) -> dict:
    log(f"import wandb: mock vs real, N={n} each")
    cases = {
        "mock_import": [mock_py, "-c", "import wandb"],
        "real_import": [real_py, "-c", "import wandb"],
        "mock_python_start": [mock_py, "-c", "pass"],
        "real_python_start": [real_py, "-c", "pass"],
    }
    for args in cases.values():  # warm the page cache and the .pyc files, not counted
        run_timed(args, env=_env(tmp / "warm"))
    walls: dict[str, list[float]] = {k: [] for k in cases}
    errors = {}
    for _ in range(n):
        for key, args in cases.items():
            r = run_timed(args, env=_env(tmp / "imp"), cwd=tmp)
            if r["rc"] != 0:
                errors[key] = tail(r["stderr"])
            walls[key].append(r["wall"])
    res = {k: stats(v) for k, v in walls.items()}
    m, rl = res["mock_import"]["median"], res["real_import"]["median"]
    res["ratio_mock_over_real"] = ratio(m, rl)
    res["net_mock"] = round(m - res["mock_python_start"]["median"], 4)
    res["net_real"] = round(rl - res["real_python_start"]["median"], 4)
    res["net_ratio_mock_over_real"] = ratio(res["net_mock"], res["net_real"])
    if errors:
        res["errors"] = errors
    return res


def _cycles(mock_py: str, real_py: str, n: int, tmp: Path) -> dict:
    log(f"init + 10 logs + finish: mock vs real offline/disabled, N={n} each")
    script = tmp / "cycle.py"
    script.write_text(CYCLE)
    # "mock" is the SDK as a reader runs it (no seed); "mock_seeded" is how the gate runs it:
    # with WANDB_MOCK_SEED set, init opens the store to derive a reproducible run id.
    cases = {
        "mock": (mock_py, {"WANDB_MOCK_SEED": ""}),
        "mock_seeded": (mock_py, {}),
        "mock_disabled": (mock_py, {"WANDB_MODE": "disabled"}),
        "real_offline": (real_py, {"WANDB_MODE": "offline"}),
        "real_disabled": (real_py, {"WANDB_MODE": "disabled"}),
    }
    inproc: dict[str, dict[str, list[float]]] = {k: {} for k in cases}
    walls: dict[str, list[float]] = {k: [] for k in cases}
    errors = {}
    module = {}
    for key, (py, extra) in cases.items():  # warm-up, not counted
        w = tmp / f"warm-{key}"
        w.mkdir()
        run_timed([py, str(script)], cwd=w, env=_env(w, **extra), timeout=120)
    for i in range(n):
        for key, (py, extra) in cases.items():
            w = tmp / f"cycle-{key}-{i}"
            w.mkdir()
            r = run_timed([py, str(script)], cwd=w, env=_env(w, **extra), timeout=120)
            res = marked(r["stdout"])
            if r["rc"] != 0 or res is None:
                errors[key] = f"rc={r['rc']}: {tail(r['stderr'])}"
                continue
            walls[key].append(r["wall"])
            module[key] = res.pop("module")
            for part, value in res.items():
                inproc[key].setdefault(part, []).append(value)
    out: dict = {}
    for key in cases:
        out[key] = {"process": stats(walls[key]), **{p: stats(v) for p, v in inproc[key].items()},
                    "mode": cases[key][1].get("WANDB_MODE", "default (mock store)"), "module": module.get(key)}
    def cyc(k):
        return (out[k].get("cycle") or {}).get("median")
    def proc(k):
        return out[k]["process"]["median"]
    out["speedup_vs_real_disabled"] = ratio(cyc("real_disabled"), cyc("mock"))
    out["speedup_vs_real_offline"] = ratio(cyc("real_offline"), cyc("mock"))
    out["seeded_speedup_vs_real_disabled"] = ratio(cyc("real_disabled"), cyc("mock_seeded"))
    out["process_speedup_vs_real_disabled"] = ratio(proc("real_disabled"), proc("mock"))
    out["process_speedup_vs_real_offline"] = ratio(proc("real_offline"), proc("mock"))
    if errors:
        out["errors"] = errors
    return out


def _python_listings(prefix: str) -> list:
    sys.path.insert(0, str(ROOT / "tools"))
    from docskit.listings import all_listings  # noqa: PLC0415

    return [listing for listing in all_listings()
            if listing.lexer == "python" and listing.topic.startswith(prefix)]


def _sweep_params_for(folder: Path, script: str) -> dict:
    """The first values of the sweep YAML whose `program` is this script (CLI flow)."""
    import yaml

    for path in sorted(folder.glob("*.y*ml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except Exception:
            continue
        if isinstance(data, dict) and data.get("program") == script:
            params = {}
            for k, spec in (data.get("parameters") or {}).items():
                if isinstance(spec, dict):
                    v = spec.get("value", (spec.get("values") or [None])[0] if "values" in spec else spec.get("min"))
                    if v is not None:
                        params[k] = v
            return params
    return {}


def _as_args(params: dict) -> list[str]:
    out = []
    for k, v in params.items():
        if v is True:
            out.append(f"--{k}")
        elif v is not False and v is not None:
            out.append(f"--{k}={v}")
    return out


def _examples(mock_py: str, real_py: str, n: int, tmp: Path, prefix: str = "guides/") -> list[dict]:
    try:
        listings = _python_listings(prefix)
    except Exception as exc:  # the machinery may be mid-change
        return [{"error": f"cannot list the guide's listings: {exc}"}]
    single = tmp / "single_run.py"
    single.write_text(SINGLE_RUN)
    rows = []
    for listing in listings:
        src = listing.path("en")
        text = src.read_text(encoding="utf-8")
        row: dict = {"page": f"{listing.topic}.md", "listing": listing.key, "file": listing.file,
                     "lang": "en", "wrong": listing.wrong}
        if "import wandb" not in text:
            row["skipped"] = "does not use wandb"
            rows.append(row)
            continue
        sweeps = "wandb.sweep(" in text or "wandb.agent(" in text
        has_run = "wandb.init(" in text
        row["has_run"] = has_run
        params = _sweep_params_for(src.parent, listing.file)
        row["uses_sweep"] = sweeps
        row["single_run_params"] = params
        cli_program = bool(params)
        row["cli_program"] = cli_program
        row["compared"] = (
            "original script with the mock only (no wandb.init: nothing the real SDK can run offline)"
            if not has_run else
            "the program of a CLI sweep (run by `wandb agent`, which fills in its config; the tests run that "
            "flow with the mock): single run with the YAML's first values, mock vs real offline vs real disabled"
            if cli_program else
            "original script (a sweep) with the mock only; single run (sweep/agent replaced by one call "
            "of the training function) with mock, real offline, real disabled"
            if sweeps else
            "original script with mock and real offline; single run (sweep YAML's first values in "
            "wandb.init config) with mock, real offline, real disabled"
        )
        log(f"example {listing.topic}/{listing.file}: N={n}")
        cases = {} if cli_program else {"mock_original": (mock_py, ["-c", ORIGINAL, listing.file], {})}
        if has_run and not sweeps and not cli_program:
            cases["real_offline_original"] = (real_py, ["-c", ORIGINAL, listing.file], {"WANDB_MODE": "offline"})
        # A program that reads its hyperparameters from the command line (the agent's ${args})
        # gets them as --name=value; the others through wandb.init's config.
        argv = _as_args(params) if "argparse" in text else []
        row["single_run_argv"] = argv
        single_args = [str(single), listing.file, json.dumps(params), json.dumps(argv)]
        if has_run:
            cases["mock_single"] = (mock_py, single_args, {})
            cases["real_offline_single"] = (real_py, single_args, {"WANDB_MODE": "offline"})
            cases["real_disabled_single"] = (real_py, single_args, {"WANDB_MODE": "disabled"})
        walls: dict[str, list[float]] = {k: [] for k in cases}
        inner: dict[str, list[float]] = {k: [] for k in cases}
        errors = {}
        rcs: dict[str, set] = {k: set() for k in cases}
        inits: dict[str, int] = {}
        for i in range(n + 1):  # the first round warms up and is not counted
            for key, (py, args, extra) in cases.items():
                w = tmp / f"ex-{listing.key}-{key}-{i}"
                shutil.copytree(src.parent, w)
                r = run_timed([py, *args], cwd=w, env=_env(w, **extra), timeout=300)
                shutil.rmtree(w, ignore_errors=True)
                rcs[key].add(r["rc"])
                if r["rc"] != 0:
                    msg = f"rc={r['rc']}: {tail(r['stderr'], 3)}"
                    if not (listing.wrong and isinstance(r["rc"], int)):
                        errors[key] = msg
                        continue
                    row.setdefault("expected_failures", {})[key] = msg  # a wrong example, failing as intended
                if i == 0:
                    continue
                walls[key].append(r["wall"])
                res = marked(r["stdout"])
                if res and "script" in res:
                    inner[key].append(res["script"])
                    inits[key] = res.get("inits", 0)
        row["process"] = {k: stats(v) for k, v in walls.items()}
        row["in_process"] = {k: stats(v) for k, v in inner.items() if v}
        row["exit_codes"] = {k: sorted(map(str, v)) for k, v in rcs.items()}
        row["single_run_inits"] = inits
        med = {k: v["median"] for k, v in row["process"].items()}
        row["ratio_real_offline_over_mock_single"] = ratio(med.get("real_offline_single"), med.get("mock_single"))
        row["ratio_real_disabled_over_mock_single"] = ratio(med.get("real_disabled_single"), med.get("mock_single"))
        if "real_offline_original" in med:
            row["ratio_real_offline_over_mock_original"] = ratio(med.get("real_offline_original"),
                                                                 med.get("mock_original"))
        if errors:
            row["errors"] = errors
        rows.append(row)
    return rows


def profile_import(mock_py: str | None = None) -> dict:
    """Where the mock's import time goes: `python -X importtime -c "import wandb"`, top entries."""
    proc = subprocess.run([mock_py or sys.executable, "-X", "importtime", "-c", "import wandb"],
                          capture_output=True, text=True, env=clean_env())
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, self_us, cum_us, name = _parse_importtime(line)
        rows.append({"module": name.strip(), "self_ms": self_us / 1000, "cumulative_ms": cum_us / 1000})
    rows.sort(key=lambda r: -r["cumulative_ms"])
    return {"command": "python -X importtime -c 'import wandb'", "top_cumulative": rows[:15],
            "top_self": sorted(rows, key=lambda r: -r["self_ms"])[:10]}


def _parse_importtime(line: str):
    # "import time:       123 |        456 |   module.name"
    body = line.split(":", 1)[1]
    self_us, cum_us, name = body.split("|")
    return None, int(self_us), int(cum_us), name


def profile_cycle(mock_py: str | None = None) -> dict:
    """cProfile of the mock's init + 10 logs + finish, top functions by cumulative time."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-prof-"))
    try:
        script = tmp / "prof.py"
        script.write_text(
            "import cProfile, pstats, io, wandb\n"
            "pr = cProfile.Profile(); pr.enable()\n"
            "run = wandb.init(project='bench-cycle', config={'lr': 0.01})\n"
            "for i in range(10):\n    wandb.log({'loss': 1.0 / (i + 1)})\n"
            "run.finish()\n"
            "pr.disable(); s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats('cumulative').print_stats(25)\n"
            "print(s.getvalue())\n"
        )
        r = run_timed([mock_py or sys.executable, str(script)], cwd=tmp, env=_env(tmp))
        return {"command": "cProfile of wandb.init + 10 wandb.log + run.finish (mock)",
                "top": _pstats_lines(r["stdout"], 25), "rc": r["rc"], "stderr": tail(r["stderr"], 5)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _pstats_lines(text: str, n: int) -> list[str]:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("ncalls"):
            return [line.rstrip() for line in lines[i: i + n + 1] if line.strip()]
    return lines[:n]


def profile_slowest_example(results: dict | None = None) -> dict:
    """The guide example that is slowest with the mock, run once under -X importtime and cProfile."""
    rows = [e for e in ((results or {}).get("examples") or [])
            if ((e.get("process") or {}).get("mock_original") or {}).get("median")]
    if not rows:
        return {"error": "no timed example with the mock"}
    worst = max(rows, key=lambda e: e["process"]["mock_original"]["median"])
    src = ROOT / "snippets" / worst["page"][:-3] / "en"
    tmp = Path(tempfile.mkdtemp(prefix="bench-prof-ex-"))
    try:
        w = tmp / "w"
        shutil.copytree(src, w)
        boot = ("import cProfile, pstats, io, random, runpy, sys; random.seed(0); sys.argv = [sys.argv[1]]; "
                "pr = cProfile.Profile(); pr.enable(); runpy.run_path(sys.argv[0], run_name='__main__'); "
                "pr.disable(); s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats('cumulative').print_stats(30); "
                "print(s.getvalue())")
        r = run_timed([sys.executable, "-X", "importtime", "-c", boot, worst["file"]], cwd=w, env=_env(w), timeout=300)
        imports = []
        for line in r["stderr"].splitlines():
            if line.startswith("import time:") and "self [us]" not in line:
                _, self_us, cum_us, name = _parse_importtime(line)
                imports.append({"module": name.strip(), "cumulative_ms": cum_us / 1000,
                                "top": not name[1:].startswith(" ")})
        top_level = [{k: v for k, v in i.items() if k != "top"} for i in imports if i["top"]]
        top_level.sort(key=lambda i: -i["cumulative_ms"])
        imports.sort(key=lambda i: -i["cumulative_ms"])
        return {"example": f"{worst['page'][:-3]}/{worst['file']}", "wall": round(r["wall"], 3), "rc": r["rc"],
                "mock_original_median": worst["process"]["mock_original"]["median"],
                "top_level_imports_ms": top_level[:10], "cprofile_top": _pstats_lines(r["stdout"], 30)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
