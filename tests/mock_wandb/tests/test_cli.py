"""The ``wandb`` command: ``wandb sweep`` / ``wandb agent`` output, trials as subprocesses."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from mockhelpers import TIMEOUT, run_cli, run_python

import wandb

TRAIN = textwrap.dedent(
    """
    import json, os, sys
    import wandb
    stdin = sys.stdin.read()
    run = wandb.init(config={"epochs": 1})
    with open(f"trial-{run.id}.json", "w") as f:
        json.dump({"argv": sys.argv[1:], "stdin": stdin, "config": dict(run.config),
                   "env": {k: os.environ.get(k) for k in ("WANDB_SWEEP_ID", "WANDB_RUN_ID", "WANDB_SWEEP_PARAM_PATH")}}, f)
    run.log({"val_loss": float(run.config.lr)})
    if run.config.lr == 0.3:
        sys.exit(3)
    """
)


def _write(tmp_path, config: str, program: str = TRAIN):
    (tmp_path / "train.py").write_text(program)
    (tmp_path / "sweep.yaml").write_text(textwrap.dedent(config))


def _create(tmp_path, *extra):
    result = run_cli("sweep", *extra, "sweep.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = [ln for ln in result.stderr.splitlines() if "Run sweep agent with" in ln][0]
    return line.rsplit(" ", 1)[1], result


def _create_in_process(tmp_path, config_yaml: str, program: str = TRAIN) -> str:
    """Create the sweep in this process (the engine is already imported: fast)."""
    import yaml

    (tmp_path / "train.py").write_text(program)
    config = yaml.safe_load(textwrap.dedent(config_yaml))
    sweep_id = wandb.sweep(config)
    return f"mock-entity/uncategorized/{sweep_id}"


def _trials(tmp_path):
    return [json.loads(p.read_text()) for p in sorted(tmp_path.glob("trial-*.json"))]


GRID_YAML = """
program: train.py
method: grid
metric: {name: val_loss, goal: minimize}
parameters:
  lr: {values: [0.1, 0.2, 0.3]}
  flag: {values: [true]}
"""


def test_sweep_cli_output(tmp_path):
    _write(tmp_path, GRID_YAML)
    path, result = _create(tmp_path, "-p", "demo", "-e", "team")
    entity, project, sweep_id = path.split("/")
    assert (entity, project) == ("team", "demo")
    assert result.stdout == ""
    assert result.stderr == (
        "wandb: Creating sweep from: sweep.yaml\n"
        f"wandb: Creating sweep with ID: {sweep_id}\n"
        f"wandb: Run sweep agent with: wandb agent team/demo/{sweep_id}\n"
    )


def test_sweep_cli_defaults_and_name(tmp_path):
    _write(tmp_path, GRID_YAML)
    path, _ = _create(tmp_path, "--name", "my sweep")
    assert path.startswith("mock-entity/uncategorized/")
    assert wandb.Api().sweep(path).config["name"] == "my sweep"


def test_sweep_cli_errors(tmp_path):
    (tmp_path / "bad.yaml").write_text("method: bayes\nparameters:\n  lr: {min: 0.0, max: 1.0}\n")
    result = run_cli("sweep", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "wandb: Creating sweep from: bad.yaml\n"
        'Error: Invalid sweep config: Bayesian search requires "metric" section\n'
    )
    (tmp_path / "amb.yaml").write_text("method: random\nparameters:\n  lr: {min: 0, max: 0.1}\n")
    result = run_cli("sweep", "amb.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "Error: Parameter lr is ambiguous" in result.stderr
    result = run_cli("sweep", "missing.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "wandb: ERROR Couldn't open sweep file: missing.yaml" in result.stderr


def test_sweep_cli_schema_warnings(tmp_path):
    (tmp_path / "warn.yaml").write_text(
        "method: random\nmetric: {name: x, goal: up}\nparameters:\n  lr: {values: [1, 2]}\n"
    )
    result = run_cli("sweep", "warn.yaml", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines[1:4] == [
        "wandb: WARNING Malformed sweep config detected! This may cause your sweep to behave in unexpected ways.",
        "wandb: WARNING To avoid this, please fix the sweep config schema violations below:",
        "wandb: WARNING   Violation 1. 'up' is not one of ['minimize', 'maximize']",
    ]


def test_agent_cli_runs_trials_as_subprocesses(tmp_path):
    path = _create_in_process(tmp_path, GRID_YAML)
    result = run_cli("agent", path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "wandb: Starting wandb agent 🕵️"
    sweep = wandb.Api().sweep(path)
    runs = sweep.runs
    assert len(runs) == 3
    for run in runs:
        assert (
            f"wandb: Agent Starting Run: {run.id} with config:\n"
            f"wandb: \tflag: True\nwandb: \tlr: {run.config['lr']}\n"
        ) in result.stderr
        assert run.metadata["launched_by"] == "agent-cli"
        assert run.metadata["ppid"] == run.metadata["agent_pid"] != run.metadata["pid"]
    assert {r.config["lr"]: r.state for r in runs} == {0.1: "finished", 0.2: "finished", 0.3: "failed"}
    trials = _trials(tmp_path)
    assert sorted(t["argv"][1] for t in trials) == ["--lr=0.1", "--lr=0.2", "--lr=0.3"]
    assert all(t["argv"][0] == "--flag=True" for t in trials)
    assert all(t["stdin"] == "" for t in trials)  # stdin is closed
    sweep_id = path.split("/")[-1]
    for t in trials:
        run_id = t["env"]["WANDB_RUN_ID"]
        assert t["env"]["WANDB_SWEEP_ID"] == sweep_id
        param_path = t["env"]["WANDB_SWEEP_PARAM_PATH"]
        assert param_path == os.path.join(str(tmp_path), "wandb", f"sweep-{sweep_id}", f"config-{run_id}.yaml")
        text = open(param_path).read()
        assert text.startswith("wandb_version: 1\n\n") and f"lr:\n  value: {t['config']['lr']}\n" in text
        assert t["config"]["epochs"] == 1


def test_agent_cli_count_and_console_script(tmp_path):
    path = _create_in_process(tmp_path, GRID_YAML)
    exe = shutil.which("wandb")
    command = [exe] if exe else [sys.executable, "-m", "wandb"]
    result = subprocess.run(
        command + ["agent", "--count", "2", path], cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 0, result.stderr
    assert len(wandb.Api().sweep(path).runs) == 2


def test_agent_cli_bad_path_and_unknown(tmp_path):
    result = run_cli("agent", "a/b/c/d", cwd=tmp_path)
    assert result.stderr == (
        "wandb: Starting wandb agent 🕵️\n"
        "wandb: ERROR Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep\n"
    )
    result = run_cli("agent", "zzzzzzzz", cwd=tmp_path)
    assert result.returncode == 1 and "Error: Could not find sweep zzzzzzzz" in result.stderr


@pytest.mark.parametrize(
    "template, expected",
    [
        (None, ["/usr/bin/env", sys.executable, "train.py", "--a=1", "--b=True", "--c=False", "--d=None"]),
        (["${env}", "${interpreter}", "${program}", "${args}"], ["/usr/bin/env", sys.executable, "train.py", "--a=1", "--b=True", "--c=False", "--d=None"]),
        (["${program}", "${args_no_hyphens}"], ["train.py", "a=1", "b=True", "c=False", "d=None"]),
        (["${program}", "${args_no_boolean_flags}"], ["train.py", "--a=1", "--b", "--d=None"]),
        (["${program}", "${args_json}"], ["train.py", '{"a": 1, "b": true, "c": false, "d": null}']),
        (["${program}", "${args_no_equals}"], ["train.py", "--a", "1", "--b", "True", "--c", "False", "--d", "None"]),
        (["${program}", "${args_append_hydra}"], ["train.py", "+a=1", "+b=True", "+c=False", "+d=None"]),
        (["${program}", "${args_override_hydra}"], ["train.py", "++a=1", "++b=True", "++c=False", "++d=None"]),
        (["python3", "-u", "${program}", "--x=${envvar:MOCK_MACRO}", "${envvar:MOCK_UNSET}", "${unknown}"], ["python3", "-u", "train.py", "--x=hello", "MOCK_UNSET"]),
        (["${program}", "${args_json_file}"], ["train.py", "ARGS_JSON_FILE"]),
    ],
)
def test_command_macros(tmp_path, monkeypatch, template, expected):
    from wandb._command import build_command

    monkeypatch.setenv("MOCK_MACRO", "hello")
    json_file = str(tmp_path / "args.json")
    params = {"a": {"value": 1}, "b": {"value": True}, "c": {"value": False}, "d": {"value": None}}
    argv = build_command(template, "train.py", params, json_file)
    assert argv == [json_file if e == "ARGS_JSON_FILE" else e for e in expected]
    if template and "${args_json_file}" in template:
        assert json.loads(open(json_file).read()) == {"a": 1, "b": True, "c": False, "d": None}


def test_command_template_through_the_cli_agent(tmp_path):
    program = "import json, sys\nprint(json.dumps(sys.argv[1:]))\nprint(open(sys.argv[-1]).read())\n"
    path = _create_in_process(
        tmp_path,
        """
        program: show.py
        method: grid
        parameters:
          lr: {values: [0.5]}
          flag: {values: [false]}
        command: ["${env}", "${interpreter}", "${program}", "--tag=${envvar:MOCK_MACRO}", "${args_no_boolean_flags}", "${args_json_file}"]
        """,
    )
    (tmp_path / "show.py").write_text(program)
    result = run_cli("agent", path, cwd=tmp_path, env={"MOCK_MACRO": "hello"})
    assert result.returncode == 0, result.stderr
    argv_line, json_line = result.stdout.strip().splitlines()[:2]
    argv = json.loads(argv_line)
    assert argv[:2] == ["--tag=hello", "--lr=0.5"]
    assert argv[2].endswith(".json") and json.loads(json_line) == {"lr": 0.5, "flag": False}


def _concurrent_agents(tmp_path, path, n, *extra):
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "wandb", "agent", *extra, path],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(n)
    ]
    outputs = [p.communicate(timeout=TIMEOUT) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    return outputs


FAST_TRAIN = "import wandb\nrun = wandb.init()\nrun.log({'val_loss': run.config.a * 10 + run.config.b})\n"


def test_concurrent_agents_cover_grid_exactly_once(tmp_path):
    path = _create_in_process(
        tmp_path,
        "program: train.py\nmethod: grid\nparameters:\n  a: {values: [0, 1, 2]}\n  b: {values: [0, 1, 2]}\n",
        program=FAST_TRAIN,
    )
    outputs = _concurrent_agents(tmp_path, path, 3)
    runs = wandb.Api().sweep(path).runs
    points = [(r.config["a"], r.config["b"]) for r in runs]
    assert sorted(points) == [(a, b) for a in range(3) for b in range(3)]  # none twice, none lost
    assert all(r.state == "finished" for r in runs)
    started = sum(out[1].count("Agent Starting Run") for out in outputs)
    assert started == 9


def test_run_cap_across_concurrent_agents(tmp_path):
    path = _create_in_process(
        tmp_path,
        "program: train.py\nmethod: random\nrun_cap: 4\nparameters:\n  a: {values: [0, 1]}\n  b: {min: 0.0, max: 1.0}\n",
        program=FAST_TRAIN,
    )
    _concurrent_agents(tmp_path, path, 3)
    assert len(wandb.Api().sweep(path).runs) == 4


def test_seed_reproducible_output(tmp_path):
    script = textwrap.dedent(
        """
        import random, wandb
        sid = wandb.sweep({"method": "random", "parameters": {"x": {"min": 0.0, "max": 1.0}, "k": {"values": [1, 2, 3]}}})
        def train():
            run = wandb.init()
            print(run.id, run.config.x, run.config.k, random.random())
        wandb.agent(sid, function=train, count=3)
        run = wandb.init()
        print(run.id, random.random())
        """
    )
    outputs = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        result = run_python(script, cwd=tmp_path / name, env={"WANDB_MOCK_SEED": "42", "WANDB_DIR": str(tmp_path / name)})
        assert result.returncode == 0, result.stderr
        outputs.append((result.stdout, result.stderr))
    assert outputs[0] == outputs[1]
    from wandb._ids import seeded_id

    assert seeded_id("42", "sweep", 0) != seeded_id("43", "sweep", 0)


def test_import_is_lazy():
    result = run_python(
        "import sys, wandb\n"
        "heavy = [m for m in ('numpy', 'sweeps', 'yaml', 'sqlite3', 'jsonschema', 'pydantic') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_random_and_grid_sweeps_load_neither_scipy_nor_requests(tmp_path):
    """Random values are sampled with wandb._stats (scipy.stats's quantile functions, bit
    for bit), so creating and running random and grid sweeps never loads scipy; bayes
    search's first two proposals (random samples) load neither scikit-learn nor scipy. requests (jsonref's) is never loaded by the
    engine, and the process can still import it."""
    script = textwrap.dedent(
        """\
        import sys, wandb
        heavy = lambda: [m for m in ("scipy", "scipy.stats", "sklearn", "requests") if m in sys.modules]
        random = {"method": "random", "parameters": {"lr": {"min": 0.001, "max": 0.1}, "bs": {"values": [16, 32]},
                  "wd": {"distribution": "log_uniform_values", "min": 1e-4, "max": 0.1}}}
        grid = {"method": "grid", "parameters": {"bs": {"values": [16, 32]}}}
        bayes = dict(random, method="bayes", metric={"name": "loss", "goal": "minimize"})
        seen = []
        def train():
            with wandb.init() as run:
                seen.append(dict(run.config))
                run.log({"loss": run.config.get("lr", 1.0)})
        wandb.agent(wandb.sweep(grid, project="p"), function=train)
        wandb.agent(wandb.sweep(random, project="p"), function=train, count=2)
        print("random and grid:", heavy(), len(seen), all(0.001 <= c["lr"] <= 0.1 for c in seen[2:]))
        bayes_id = wandb.sweep(bayes, project="p")
        wandb.agent(bayes_id, function=train, count=1)
        print("bayes, created, first run:", heavy())
        wandb.agent(bayes_id, function=train, count=1)
        print("bayes, second run:", heavy(), len(seen))
        import importlib.util
        if importlib.util.find_spec("requests") is None:  # the mock's own venv has no requests
            print("requests importable: not installed")
        else:
            import requests
            print("requests importable:", callable(requests.get))
        """
    )
    result = run_python(script, cwd=tmp_path, env={"WANDB_DIR": str(tmp_path), "WANDB_MOCK_SEED": "0"})
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if not line.startswith("Create sweep")] == [
        "random and grid: [] 4 True",
        "bayes, created, first run: []",
        "bayes, second run: [] 6",
        "requests importable: " + ("True" if importlib.util.find_spec("requests") else "not installed"),
    ], result.stdout + result.stderr


def test_plain_script_run_is_visible_to_other_processes(tmp_path):
    result = run_python("import wandb\nrun = wandb.init(project='p')\nrun.log({'a': 1})\nprint(run.path)\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    api_run = wandb.Api().run(result.stdout.strip())
    assert api_run.state == "finished" and api_run.summary["a"] == 1
    assert api_run.metadata["launched_by"] == "script"


def test_script_exception_marks_run_failed(tmp_path):
    result = run_python("import wandb\nrun = wandb.init()\nprint(run.path, flush=True)\nimport sys\nsys.exit(4)\n", cwd=tmp_path)
    assert result.returncode == 4
    assert wandb.Api().run(result.stdout.strip()).state == "failed"
    result = run_python("import wandb\nrun = wandb.init()\nprint(run.path, flush=True)\n1/0\n", cwd=tmp_path)
    assert wandb.Api().run(result.stdout.strip()).state == "failed"


NESTED_YAML = """\
program: train.py
method: random
parameters:
  optimizer:
    parameters:
      lr: {min: 0.1, max: 0.2}
      name: {values: [adam]}
"""
NESTED_TRAIN = """\
import wandb
run = wandb.init()
print(repr(run.config.optimizer))
"""


def test_agent_cli_passes_nested_numeric_parameters(tmp_path):
    # The engine samples numpy floats inside nested dicts; the parameter file must hold
    # plain numbers (a numpy float made yaml.dump fail once).
    _write(tmp_path, NESTED_YAML, NESTED_TRAIN)
    path, _ = _create(tmp_path)
    result = run_cli("agent", "--count", "1", path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    import wandb as mock

    run = mock.Api().sweep(path).runs[0]
    assert set(run.config["optimizer"]) == {"lr", "name"}
    assert 0.1 <= run.config["optimizer"]["lr"] <= 0.2 and type(run.config["optimizer"]["lr"]) is float
