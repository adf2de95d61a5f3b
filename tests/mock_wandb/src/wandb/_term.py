"""Terminal output with the real SDK's prefixes (``wandb: ``, ``wandb: WARNING ``...).

Like ``wandb.errors.term`` it writes to stderr, prefixes every line of a
multi-line message and honours WANDB_SILENT. It never colours the output (the
real one strips colours too when stderr is not a TTY, which is the docs' case).
"""

from __future__ import annotations

import os
import sys

_printed: set[str] = set()


def _silent() -> bool:
    return os.environ.get("WANDB_SILENT", "").lower() in ("1", "true", "yes")


def _log(string: str, prefix_word: str | None, repeat: bool = True) -> None:
    if not repeat:
        if string in _printed:
            return
        _printed.add(string)
    if _silent():
        return
    lines = string.split("\n")
    if prefix_word:
        lines = [f"{prefix_word} {s}" for s in lines]
    sys.stderr.write("\n".join(f"wandb: {s}" for s in lines) + "\n")
    sys.stderr.flush()


def termlog(string: str = "", newline: bool = True, repeat: bool = True, prefix: bool = True) -> None:
    if not prefix:
        if not _silent():
            sys.stderr.write(string + ("\n" if newline else ""))
        return
    _log(string, None, repeat)


def termwarn(string: str, newline: bool = True, repeat: bool = True, prefix: bool = True) -> None:
    _log(string, "WARNING", repeat)


def termerror(string: str, newline: bool = True, repeat: bool = True, prefix: bool = True) -> None:
    _log(string, "ERROR", repeat)
