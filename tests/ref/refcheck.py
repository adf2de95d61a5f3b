"""Helpers of the reference pages' tests: the parts of stderr a page shows."""

from __future__ import annotations


def error_tail(stderr: str) -> str:
    """The exception lines that end a traceback (type and message, all its lines).

    A traceback's frames are indented; the exception that ends it is not. Everything after
    the last indented line is the exception, whatever number of lines its message has.
    """
    lines = stderr.rstrip("\n").splitlines()
    assert "Traceback (most recent call last):" in lines, f"no traceback in stderr:\n{stderr}"
    last_indented = max(i for i, line in enumerate(lines) if line.startswith(" "))
    return "\n".join(lines[last_indented + 1 :]) + "\n"


def wandb_lines(stderr: str) -> str:
    """The lines the SDK itself printed (`wandb: ...`), without tracebacks or other output."""
    return "".join(line + "\n" for line in stderr.splitlines() if line.startswith("wandb: "))


def used_as_input(listings, lang: str, key: str) -> dict:
    """Mark a data listing (e.g. a YAML file a command read) as exercised, and return it parsed.

    The caller must then assert that what the command did matches the parsed content.
    """
    import yaml

    listings.ran(key)
    return yaml.safe_load(listings[key].path(lang).read_text(encoding="utf-8"))
