"""Which listings run on the real SDK, and how: decided from the listings themselves, by
convention, so that a new page is covered without editing this file.

For every page (`snippets/**/listings.yml`) and every listing:

- a Python listing that is the `program:` of a sweep configuration of the same page is a
  sweep program: it runs as that sweep's trials (a "cli-sweep" unit, below), or takes the
  configuration's verdict if that sweep cannot run here;
- a Python listing whose only use of wandb is `wandb.Api()` reads the server: not comparable;
- any other Python listing is a "program" unit: run as it is (`python <file>`, no
  arguments) on both sides;
- a YAML listing with a `program:` that is a Python listing of the page is a "cli-sweep"
  unit: the mock creates the sweep (with the options of the page's own `wandb sweep`
  command for that file, if it has one), its `wandb agent` proposes TRIALS trials, and the
  real side runs each one as the real CLI agent would; a YAML whose program is not a
  listing of the page, or without a program, is not comparable (named reason);
- a shell listing is classified by the commands it runs: `wandb sweep` and `wandb agent`
  need the server (not comparable; the trials an agent command runs are compared through
  the cli-sweep unit); `python X.py` is covered by the listing X; variables only: not
  comparable;
- an output listing (a .txt file) shows what its producer printed: the listing whose key
  prefixes its key (`original` for `original-output`), else the closest listing before it
  in listings.yml (which is in page order); it gets its producer's verdict;
- a figure (.svg) is compared with the one the other side drew, if its producer drew it.

Languages: each listing runs once, in English. A unit also runs in Spanish when an output
listing of the page shows what it prints; the other Spanish twins get "same as en
(pair-checked twin)": tests/site/test_pairs.py guarantees that a Spanish snippet has the
English one's code, line for line, with only comments and user-facing strings translated.
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass, field

import yaml
from docskit.listings import Listing, Topic, all_topics

TRIALS = 2  # each sweep on its first two trials
# Shell commands that only prepare the shell for the next ones.
SETUP_COMMANDS = {"export", "source", ".", "cd", "uv", "pip", "pip3"}

# Every reason a listing may be "not comparable" for, by name (the report prints the name and,
# once at the end, this text). Static ones come from plan.py, the others from what ran.
REASONS = {
    "wandb-sweep-cli": "`wandb sweep` needs the W&B server: 0.31 verifies the API key with it before reading "
    "the configuration (offline: `Error: No API key configured`)",
    "wandb-sweep-state": "`wandb sweep --pause/--resume/--stop/--cancel` changes a sweep's state on the W&B server",
    "wandb-agent-cli": "`wandb agent` gets its trials from the W&B server (0.31 asks for the API key first; "
    "offline: `Error: No API key configured`); the trials it runs are compared through the sweep "
    "configuration and its program",
    "agent-lines": "what the `wandb agent` process itself prints: the real one needs the W&B server before "
    "anything else, and logs its trials through a Python logger with timestamps (README: the mock's "
    "deliberate differences)",
    "api-read": "reads runs or sweeps back with wandb.Api(), which needs the W&B server (offline the real "
    "SDK keeps no store to read)",
    "config-fragment": "a sweep configuration without a program: only `wandb sweep` (which needs the W&B "
    "server) or the server itself reads it; the page's tests check the mock's engine on it",
    "program-elsewhere": "a sweep configuration whose program is not a listing of its page",
    "local-controller": "a sweep configuration with a local controller: its trials come from `wandb "
    "controller` or wandb.controller(), which read and step the sweep on the W&B server",
    "shell-setup": "runs no program: it sets up the shell (variables, a virtual environment, packages) "
    "for the page's next commands",
    "wandb-controller-cli": "`wandb controller` runs a sweep's controller, which reads and steps the sweep "
    "on the W&B server",
    "unknown-kind": "neither a program, a command, a configuration, an output nor a figure",
    "server-refusal": "the real SDK's own checks pass and it sends the sweep to the W&B server, which refuses "
    "it: the mock's error stands for the server's answer, which cannot be observed offline",
    "server-request": "the real SDK asks the W&B server for something this session does not answer",
    "mock-refused-sweep": "the mock's `wandb sweep` refuses the configuration; the real one needs the W&B "
    "server to say",
    "server-first": "the listing's first use of wandb needs the W&B server (wandb.Api(), "
    "wandb.controller(), a `wandb` command): it stops there on both sides, before anything to compare",
    "not-drawn": "a figure that its example, stopped where it needs the W&B server, draws on neither side",
}


@dataclass
class Unit:
    """Something that runs on both sides and is compared."""

    topic: Topic
    kind: str  # "program" (a Python listing run as is) or "cli-sweep" (a YAML and its program)
    key: str  # the Python listing, or the YAML listing
    program: str | None = None  # cli-sweep: the program's listing key
    sweep_args: list[str] = field(default_factory=list)  # cli-sweep: the page's `wandb sweep` options
    langs: set[str] = field(default_factory=lambda: {"en"})

    @property
    def name(self) -> str:
        return f"{self.topic.name}:{self.key}"


@dataclass
class Rule:
    """How a listing's verdict is found: from units, from another listing, or a reason."""

    kind: str  # "units", "as", "reason", "figure"
    units: list[Unit] = field(default_factory=list)
    other: str | None = None  # "as": the listing whose verdict this one takes
    via: str = ""  # "as": how it relates ("output of", "runs")
    reason: str | None = None  # a key of REASONS
    detail: dict = field(default_factory=dict)


def wandb_calls(source: str) -> set[str]:
    """Names called as `wandb.<name>(...)` in a Python file."""
    calls = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if isinstance(node.func.value, ast.Name) and node.func.value.id == "wandb":
                calls.add(node.func.attr)
    return calls


def shell_commands(text: str) -> list[list[str]]:
    """The commands of a shell listing, as words, without leading VAR=value assignments."""
    commands = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        for part in re.split(r"\s*(?:;|&&|\|\|?|&)\s*", line):
            words = shlex.split(part) if part else []
            while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
                words = words[1:]
            if words and words[0] not in {"for", "do", "done", "wait", "then", "fi", "if"}:
                commands.append(words)
    return commands


def is_output(listing: Listing) -> bool:
    return listing.lexer == "text"


def producer(topic: Topic, key: str) -> str | None:
    """The listing whose output an output listing shows."""
    listings = topic.listings
    keys = list(listings)
    prefixed = [k for k in keys if key.startswith(k + "-") and not is_output(listings[k])]
    if prefixed:
        return max(prefixed, key=len)
    before = [k for k in keys[: keys.index(key)] if not is_output(listings[k]) and not listings[k].figure]
    return before[-1] if before else None


class Plan:
    def __init__(self, topics: list[Topic] | None = None):
        self.topics = topics if topics is not None else all_topics()
        self.units: list[Unit] = []
        self.rules: dict[tuple[str, str], Rule] = {}
        for topic in self.topics:
            self._plan_topic(topic)

    def rule(self, topic: Topic, key: str) -> Rule:
        return self.rules[topic.name, key]

    def _plan_topic(self, topic: Topic) -> None:
        listings = topic.listings
        python_files = {l.file: k for k, l in listings.items() if l.lexer == "python"}
        shells = {k: shell_commands(l.path("en").read_text(encoding="utf-8")) for k, l in listings.items() if l.lexer == "bash"}

        # Sweep configurations with a program of this page: cli-sweep units.
        sweeps: dict[str, Unit] = {}  # YAML key -> unit
        programs: dict[str, str] = {}  # a Python listing named as `program:` -> that YAML's key
        for key, listing in listings.items():
            if listing.lexer != "yaml":
                continue
            config = yaml.safe_load(listing.path("en").read_text(encoding="utf-8"))
            program = config.get("program") if isinstance(config, dict) else None
            controller = config.get("controller") if isinstance(config, dict) else None
            if program in python_files:
                programs.setdefault(python_files[program], key)
            if program is None:
                self.rules[topic.name, key] = Rule("reason", reason="config-fragment")
            elif isinstance(controller, dict) and controller.get("type") == "local":
                self.rules[topic.name, key] = Rule("reason", reason="local-controller")
            elif program not in python_files:
                self.rules[topic.name, key] = Rule("reason", reason="program-elsewhere", detail={"program": program})
            else:
                unit = Unit(topic, "cli-sweep", key, program=python_files[program])
                for words in (w for ws in shells.values() for w in ws):
                    if words[:2] == ["wandb", "sweep"] and words[-1] == listing.file:
                        unit.sweep_args = words[2:-1]
                        break
                sweeps[key] = unit
                self.units.append(unit)
                self.rules[topic.name, key] = Rule("units", units=[unit])

        for key, listing in listings.items():
            if (topic.name, key) in self.rules:
                continue
            if listing.lexer == "python":
                runs_in = [u for u in sweeps.values() if u.program == key]
                source = listing.path("en").read_text(encoding="utf-8")
                calls = wandb_calls(source)
                if runs_in:
                    self.rules[topic.name, key] = Rule("units", units=runs_in)
                elif key in programs:  # the program of a sweep that cannot run here
                    self.rules[topic.name, key] = Rule("as", other=programs[key], via="the program of")
                elif calls and calls <= {"Api"}:
                    self.rules[topic.name, key] = Rule("reason", reason="api-read")
                else:
                    unit = Unit(topic, "program", key)
                    self.units.append(unit)
                    self.rules[topic.name, key] = Rule("units", units=[unit])
            elif listing.lexer == "bash":
                self.rules[topic.name, key] = self._shell_rule(topic, key, shells[key], sweeps, python_files)
            elif listing.figure:
                drawer = next(
                    (k for k, l in listings.items() if l.lexer == "python" and listing.file in l.path("en").read_text(encoding="utf-8")),
                    None,
                )
                self.rules[topic.name, key] = Rule("figure", other=drawer)
            elif not is_output(listing):
                self.rules[topic.name, key] = Rule("reason", reason="unknown-kind")

        for key, listing in listings.items():
            if (topic.name, key) in self.rules:
                continue
            source = producer(topic, key)
            rule = self.rules.get((topic.name, source)) if source else None
            if rule is not None and rule.kind == "reason" and rule.reason == "wandb-agent-cli" and rule.units:
                lines = listing.path("en").read_text(encoding="utf-8").splitlines()
                if all(line.startswith("wandb: ") for line in lines):  # the agent's own lines
                    self.rules[topic.name, key] = Rule("reason", reason="agent-lines")
                    continue
                self.rules[topic.name, key] = Rule("units", units=rule.units)
            elif source is None:
                self.rules[topic.name, key] = Rule("reason", reason="unknown-kind")
            else:
                self.rules[topic.name, key] = Rule("as", other=source, via="output of")

        # Spanish: the units whose output a page shows.
        for key, listing in listings.items():
            if is_output(listing):
                for unit in self._units_behind(topic, key):
                    unit.langs.add("es")

    def _shell_rule(self, topic, key, commands, sweeps, python_files) -> Rule:
        for words in commands:
            if words[:2] == ["wandb", "agent"]:
                path = words[-1].split("/")
                project = path[-2] if len(path) >= 2 else None
                matched = [u for u in sweeps.values() if project and _option(u.sweep_args, "--project") == project]
                return Rule("reason", reason="wandb-agent-cli", units=matched or list(sweeps.values()))
        for words in commands:
            if words[:2] == ["wandb", "sweep"]:
                state = [w[2:] for w in words if w in ("--pause", "--resume", "--stop", "--cancel")]
                if state:
                    return Rule("reason", reason="wandb-sweep-state", detail={"option": state[0]})
                return Rule("reason", reason="wandb-sweep-cli")
        for words in commands:
            if words[:2] == ["wandb", "controller"]:
                return Rule("reason", reason="wandb-controller-cli")
        for words in commands:
            if words[0] in ("python", "python3") and len(words) > 1 and words[1] in python_files:
                return Rule("as", other=python_files[words[1]], via="runs")
        if all(words[0] in SETUP_COMMANDS for words in commands):
            return Rule("reason", reason="shell-setup")
        return Rule("reason", reason="unknown-kind")

    def _units_behind(self, topic: Topic, key: str, seen: set | None = None) -> list[Unit]:
        seen = seen or set()
        if key in seen:
            return []
        seen.add(key)
        rule = self.rules[topic.name, key]
        if rule.kind == "units":
            return list(rule.units)
        if rule.kind == "as":
            return self._units_behind(topic, rule.other, seen)
        return []


def _option(args: list[str], name: str) -> str | None:
    for i, word in enumerate(args):
        if word == name and i + 1 < len(args):
            return args[i + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None
