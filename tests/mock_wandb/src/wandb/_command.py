"""The sweep ``command`` template and its macros, as the real CLI agent expands them.

Mirrors ``create_sweep_command``/``create_sweep_command_args``
(wandb/sdk/launch/sweeps/utils.py) and ``Agent._command_run``
(wandb/wandb_agent.py), 0.31:

* default template ``${env} ${interpreter} ${program} ${args}``;
* ``${envvar:NAME}`` is replaced inside any item by the variable's value (the
  name itself when unset);
* an item that is exactly ``${macro}`` expands to a list: ``env`` →
  ``/usr/bin/env``, ``interpreter``, ``program``, ``args`` → ``--lr=0.01``,
  ``args_no_hyphens`` → ``lr=0.01``, ``args_no_boolean_flags`` → ``--flag`` for
  True and nothing for False, ``args_json`` → one JSON string, ``args_json_file``
  → a JSON file's path, ``args_no_equals``, ``args_append_hydra`` (``+lr=0.01``),
  ``args_override_hydra`` (``++lr=0.01``); an unknown macro expands to nothing.
  Values are rendered with ``str()``: ``True``, ``None``, ``0.01``.

Deliberate difference: ``${interpreter}`` is ``sys.executable`` of the agent
(the real agent uses ``python`` from PATH), so trials run in the environment
the mock is installed in.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

DEFAULT_SWEEP_COMMAND: list[str] = ["${env}", "${interpreter}", "${program}", "${args}"]
SWEEP_COMMAND_ENV_VAR_REGEX = re.compile(r"\$\{envvar\:([A-Z0-9_]*)\}")


def create_sweep_command(command: list | None = None) -> list:
    """Return sweep command, filling in environment variable macros."""
    command = list(command or DEFAULT_SWEEP_COMMAND)
    for i, chunk in enumerate(command):
        if SWEEP_COMMAND_ENV_VAR_REGEX.search(str(chunk)):
            matches = list(SWEEP_COMMAND_ENV_VAR_REGEX.finditer(chunk))
            for m in matches[::-1]:
                var: str = os.environ.get(m.group(1), m.group(1))
                command[i] = f"{command[i][: m.start()]}{var}{command[i][m.end() :]}"
    return command


def create_sweep_command_args(args: dict[str, dict]) -> dict[str, Any]:
    flags: list[str] = []
    flags_no_hyphens: list[str] = []
    flags_no_booleans: list[str] = []
    flags_dict: dict[str, Any] = {}
    args_no_equals: list[str] = []
    flags_append_hydra: list[str] = []
    flags_override_hydra: list[str] = []
    for param, config in args.items():
        try:
            value: Any = config["value"]
        except KeyError:
            raise ValueError(f'No "value" found for command["args"]["{param}"]')
        flag = f"{param}={value}"
        flags.append("--" + flag)
        flags_no_hyphens.append(flag)
        args_no_equals += [f"--{param}", str(value)]
        flags_append_hydra.append("+" + flag)
        flags_override_hydra.append("++" + flag)
        if isinstance(value, bool):
            if value:
                flags_no_booleans.append("--" + param)
        else:
            flags_no_booleans.append("--" + flag)
        flags_dict[param] = value
    return {
        "args": flags,
        "args_no_equals": args_no_equals,
        "args_no_hyphens": flags_no_hyphens,
        "args_no_boolean_flags": flags_no_booleans,
        "args_json": [json.dumps(flags_dict)],
        "args_append_hydra": flags_append_hydra,
        "args_override_hydra": flags_override_hydra,
    }


def build_command(
    template: list | None,
    program: str | None,
    params: dict[str, dict],
    args_json_file_path: str,
) -> list[str]:
    """The argv of one trial; writes the args JSON file when the template uses it."""
    sweep_command = create_sweep_command(template)
    sweep_vars: dict[str, Any] = create_sweep_command_args(params)
    if "${args_json_file}" in sweep_command:
        os.makedirs(os.path.dirname(args_json_file_path), exist_ok=True)
        with open(args_json_file_path, "w") as fp:
            fp.write(sweep_vars["args_json"][0])
    sweep_vars["interpreter"] = [sys.executable]
    sweep_vars["program"] = [program] if program else None
    sweep_vars["args_json_file"] = [args_json_file_path]
    sweep_vars["env"] = ["/usr/bin/env"] if os.name != "nt" else None
    command_list: list[str] = []
    for c in sweep_command:
        c = str(c)
        if c.startswith("${") and c.endswith("}"):
            command_list += sweep_vars.get(c[2:-1]) or []
        else:
            command_list += [c]
    return command_list
