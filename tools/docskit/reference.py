"""API and CLI reference rendered from the mock SDK's own code, so it cannot disagree with it.

A reference page writes

    [[signature wandb.sweep]]        -> the call signature, read with inspect.signature
    [[cli wandb sweep]]              -> the usage text the mock's `wandb sweep --help` prints

on a line of its own. The page must then mention every parameter (as `name`) or every
long option (as `--name`): a parameter or option added to the SDK without
documentation fails the build.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import os
import re

from .listings import ListingError

SIGNATURE = re.compile(r"^(?P<indent>[ \t]*)\[\[signature (?P<name>[\w.]+)\]\][ \t]*$", re.M)
CLI = re.compile(r"^(?P<indent>[ \t]*)\[\[cli wandb (?P<command>[\w-]+)\]\][ \t]*$", re.M)
OPTION = re.compile(r"(?<![\w-])--[a-z][\w-]*")


def resolve(dotted: str):
    """`wandb.Run.log` -> the object, importing the longest importable module prefix."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def parameters(dotted: str) -> list[str]:
    sig = inspect.signature(resolve(dotted))
    return [p for p in sig.parameters if p not in ("self", "cls")]


def signature_text(dotted: str) -> str:
    obj = resolve(dotted)
    sig = inspect.signature(obj)
    params = [p for name, p in sig.parameters.items() if name not in ("self", "cls")]
    # A class's signature is its __init__'s, whose "-> None" is not what calling it returns.
    no_return = sig.return_annotation is inspect.Signature.empty or inspect.isclass(obj)
    ret = "" if no_return else f" -> {_annotation(sig.return_annotation)}"
    if not params:
        return f"{dotted}(){ret}"
    names = _global_names(obj)
    body = ",\n".join(f"    {_param(p, names)}" for p in params)
    return f"{dotted}(\n{body},\n){ret}"


def _global_names(obj) -> dict[int, str]:
    """id(value) -> name, for the module globals the function sees (to name sentinel defaults)."""
    func = inspect.unwrap(obj)
    func = getattr(func, "__func__", func)
    return {id(v): k for k, v in getattr(func, "__globals__", {}).items()}


def _annotation(a) -> str:
    return a if isinstance(a, str) else inspect.formatannotation(a)


def _param(p: inspect.Parameter, names: dict[int, str] | None = None) -> str:
    default = p.default
    if default is not inspect.Parameter.empty and type(default) is object:
        # A sentinel such as `_UNSET = object()`: its repr holds a memory address, which
        # would change on every build; show the name the module gives it instead.
        p = p.replace(default=_Named((names or {}).get(id(default), "<unset>")))
    text = str(p.replace(annotation=inspect.Parameter.empty))
    if p.annotation is not inspect.Parameter.empty:
        name, _, default = text.partition("=")
        text = f"{name}: {_annotation(p.annotation)}" + (f" = {default}" if default else "")
    return text


class _Named:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


HELP_COLUMNS = "80"  # argparse wraps --help to the terminal width: pin it, for the same page everywhere


def cli_help(command: str) -> str:
    """What `wandb <command> --help` prints, from the mock's entry point `wandb.cli:main(argv)`."""
    cli = importlib.import_module("wandb.cli")
    out = io.StringIO()
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            cli.main([command, "--help"])
    finally:
        if saved is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = saved
    text = out.getvalue().rstrip()
    if not text:
        raise ListingError(f"`wandb {command} --help` printed nothing to stdout")
    return text


def cli_options(command: str) -> list[str]:
    return sorted(set(OPTION.findall(cli_help(command))) - {"--help"})


def render(markdown: str, *, lang: str, label: str) -> str:
    def fence(indent: str, lexer: str, text: str) -> str:
        lines = [f"``` {lexer}", *text.splitlines(), "```"]
        return "\n".join(indent + line if line else "" for line in lines)

    def signature(m: re.Match) -> str:
        name = m["name"]
        missing = [p for p in parameters(name) if f"`{p}`" not in markdown]
        if missing:
            raise ListingError(f"{label}: parameters of {name} not documented on the page: {', '.join(missing)}")
        return fence(m["indent"], "python", signature_text(name))

    def cli(m: re.Match) -> str:
        command = m["command"]
        missing = [o for o in cli_options(command) if f"`{o}" not in markdown]
        if missing:
            raise ListingError(f"{label}: options of `wandb {command}` not documented on the page: {', '.join(missing)}")
        return fence(m["indent"], "text", cli_help(command))

    return CLI.sub(cli, SIGNATURE.sub(signature, markdown))
