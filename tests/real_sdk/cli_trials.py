"""Real side of a sweep run by `wandb agent` (CLI): the trials the mock's agent proposed,
each started as the real 0.31 CLI agent starts it. Run with the real SDK's Python:

    python cli_trials.py <plan.json>

The plan names the sweep's path, its configuration as the mock stored it (the server's
copy), and the proposals (run id and parameters, in order).

Reproduced, by calling the real code: `run_agent`'s parsing of the sweep path and the
variables it exports (WANDB_ENTITY, WANDB_PROJECT, WANDB_SWEEP_ID); `Agent.__init__`
(WANDB_DIR set if unset); `Agent.run`'s choice of command (the sweep's `command` list, else
the default `${env} ${interpreter} ${program} ${args}`); and for each trial
`Agent._command_run`: the parameter file, WANDB_RUN_ID and WANDB_SWEEP_PARAM_PATH, the
macros (`${interpreter}` is `python` from PATH, here the real SDK's environment; `${env}`
is /usr/bin/env), the `${args_json_file}`, and AgentProcess: a new process group, stdin
closed, WANDB_SERVICE removed from the environment. The trials run one after the other,
as the agent runs them, each waited for.

Not reproduced: the server conversation (registering, heartbeats, stop commands) and the
agent's own log lines (a Python logger with timestamps, on the agent's stderr). A trial
whose command is `[/usr/bin/env] python <file>.py ...` runs in a child of the real side's
fork server (DOCS_REAL_FORKSERVER; see ForkedTrial) rather than in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import sys

import wandb
from wandb import wandb_agent
from wandb.sdk.launch.sweeps import utils as sweep_utils

plan = json.loads(open(sys.argv[1], encoding="utf-8").read())
config = plan["config"]

# run_agent: parse the path, export what it exports.
parts = dict(entity=None, project=None, name=plan["path"])
err = sweep_utils.parse_sweep_id(parts)
assert err is None, err
if parts.get("entity"):
    wandb.env.set_entity(parts["entity"])
if parts.get("project"):
    wandb.env.set_project(parts["project"])
os.environ[wandb.env.SWEEP_ID] = parts["name"]

commands: dict[str, list[str]] = {}
agent_process = wandb_agent.AgentProcess.__init__
SERVER = os.environ.get("DOCS_REAL_FORKSERVER")


class ForkedTrial:
    """A trial started by the real side's fork server (forkserver.py) instead of a fresh
    interpreter: what AgentProcess gives it otherwise (the command's arguments, the agent's
    environment and folder, a process group of its own, no stdin, the agent's stdout and
    stderr) is the same; only `import wandb` is not repeated."""

    def __init__(self, argv: list[str], env: dict):
        import threading

        sys.stdout.flush()
        sys.stderr.flush()
        self.returncode = None
        request = {
            "argv": argv, "cwd": os.getcwd(), "env": env, "process_group": True, "append": True,
            "stdout": os.readlink("/proc/self/fd/1"), "stderr": os.readlink("/proc/self/fd/2"),
        }
        self._thread = threading.Thread(target=self._run, args=(request,))
        self._thread.start()

    def _run(self, request):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import forkserver

        self.returncode = forkserver.request(SERVER, request, 300)

    def wait(self, timeout=None):
        self._thread.join(timeout)
        return self.returncode

    def poll(self):
        return self.returncode


def start_trial(self, env=None, command=None, **kwargs):
    commands[env[wandb.env.RUN_ID]] = list(command)
    argv = list(command)
    if argv[:1] == ["/usr/bin/env"]:
        argv = argv[1:]
    if SERVER and argv[:1] == ["python"] and len(argv) > 1 and argv[1].endswith(".py"):
        env = {k: v for k, v in env.items() if k != wandb.env.SERVICE}  # as AgentProcess does
        self._popen, self._proc, self._original_handlers = ForkedTrial(argv[1:], env), None, {}
        return
    agent_process(self, env=env, command=command, **kwargs)


wandb_agent.AgentProcess.__init__ = start_trial

agent = wandb_agent.Agent(api=None, queue=None, sweep_id=parts["name"], count=len(plan["jobs"]))
# Agent.run: the command template comes from the server's copy of the sweep's config.
if isinstance(config.get("command"), list) and config["command"]:
    agent._sweep_command = config["command"]

results = []
for job in plan["jobs"]:
    run_id = job["run_id"]
    agent._command_run({"type": "run", "run_id": run_id, "args": job["params"], "program": config.get("program")})
    returncode = agent._run_processes[run_id].wait()
    results.append({"run_id": run_id, "command": commands.get(run_id), "returncode": returncode})

with open(plan["result"], "w", encoding="utf-8") as f:
    json.dump(results, f)
