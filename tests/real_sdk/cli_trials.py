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
agent's own log lines (a Python logger with timestamps, on the agent's stderr).
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


def recording_init(self, env=None, command=None, **kwargs):
    commands[env[wandb.env.RUN_ID]] = list(command)
    agent_process(self, env=env, command=command, **kwargs)


wandb_agent.AgentProcess.__init__ = recording_init

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
