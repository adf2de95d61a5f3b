"""English and Spanish twins must line up, so that one callout names the same line in both.

A Spanish snippet may differ from its English twin only in what a translator translates:
comments and user-facing string values. Code, dict keys, subscripts, argument names, file
names and anything used as an identifier stay identical, and both files have the same
number of lines. Each language gets a "skeleton" of every line with the translatable
parts blanked out; the skeletons must be equal line by line.

The two pages of a pair must also show the same listings and name the same callouts in
the same order.
"""

from __future__ import annotations

import ast
import io
import re
import shlex
import tokenize
from pathlib import Path

from .listings import FIGURES
from .pages import scan

BLANK = "‹…›"
FILE_NAME = re.compile(r"^[\w./-]+\.(py|ya?ml|json|txt|sh|csv|ipynb)$")


def mismatches(en: Path, es: Path) -> list[str]:
    """Human-readable differences between two twins; empty when they line up."""
    if en.suffix in FIGURES:  # drawn by the example with each language's labels: no lines to align
        return []
    en_text, es_text = en.read_text(encoding="utf-8"), es.read_text(encoding="utf-8")
    en_lines, es_lines = en_text.splitlines(), es_text.splitlines()
    if len(en_lines) != len(es_lines):
        return [f"{es}: {len(es_lines)} lines, but {en} has {len(en_lines)}"]
    suffix = en.suffix
    if suffix == ".txt":  # printed output: translated wholesale; only the shape must match
        return []
    skeleton = {".py": python_skeleton, ".yaml": yaml_skeleton, ".yml": yaml_skeleton, ".sh": shell_skeleton}.get(
        suffix, lambda text: text.splitlines()
    )
    try:
        a, b = skeleton(en_text), skeleton(es_text)
    except (SyntaxError, tokenize.TokenError) as err:
        return [f"{en} / {es}: cannot be parsed: {err}"]
    return [
        f"{es}:{n}: differs from {en}:{n} in code, not only in comments or strings:\n"
        f"    en: {en_lines[n - 1].strip()}\n    es: {es_lines[n - 1].strip()}"
        for n, (x, y) in enumerate(zip(a, b), 1)
        if x != y
    ]


def _protected_strings(source: str) -> set[tuple[int, int]]:
    """(line, col) of string constants that must not be translated: dict keys, subscripts,
    file names, and any string that is also used as a dict key somewhere in the file."""
    tree = ast.parse(source)
    lines = source.splitlines()

    def at(node: ast.AST) -> tuple[int, int]:
        # ast counts columns in UTF-8 bytes, tokenize in characters.
        line = lines[node.lineno - 1].encode("utf-8")
        return node.lineno, len(line[: node.col_offset].decode("utf-8"))

    keys: set[str] = set()
    protected: set[tuple[int, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for k in node.keys:
                if isinstance(k, ast.Constant) and isinstance(k.value, str):
                    keys.add(k.value)
                    protected.add(at(k))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            protected.add(at(node.slice))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in keys or FILE_NAME.match(node.value):
                protected.add(at(node))
    return protected


def python_skeleton(source: str) -> list[str]:
    protected = _protected_strings(source)
    lines: list[list[str]] = [[] for _ in source.splitlines()]
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    fstring_parts = {getattr(tokenize, n) for n in ("FSTRING_MIDDLE",) if hasattr(tokenize, n)}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in skip:
            continue
        text = tok.string
        if tok.type == tokenize.STRING and tok.start not in protected:
            text = _blank_string(text)
        elif tok.type in fstring_parts:  # Python 3.12+: the literal text of an f-string
            text = BLANK
        lines[tok.start[0] - 1].append(text)
    return [" ".join(tokens) for tokens in lines]


def _blank_string(literal: str) -> str:
    """Blank a string literal's text but keep an f-string's replacement fields, which are code."""
    m = re.match(r"(?i)^([rbuf]*)(['\"]{3}|['\"])", literal)
    prefix = m[1].lower() if m else ""
    if "f" not in prefix:
        return BLANK
    fields = re.findall(r"(?<!\{)\{([^{}]*)\}(?!\})", literal)
    return f"f{BLANK}" + "".join(f"{{{f}}}" for f in fields)


YAML_TRANSLATABLE = ("name", "description", "project", "entity")  # names, not code


def yaml_skeleton(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        code = _strip_comment(line)
        m = re.match(r"^(\s*)([\w-]+):\s*(.*)$", code)
        if m and m[2] in YAML_TRANSLATABLE and m[3]:
            code = f"{m[1]}{m[2]}: {BLANK}"
        out.append(code.rstrip())
    return out


def _strip_comment(line: str) -> str:
    quote = None
    for i, ch in enumerate(line):
        if ch in "'\"":
            quote = None if quote == ch else (quote or ch)
        elif ch == "#" and quote is None and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


SHELL_VALUE_OPTIONS = {"--project", "-p", "--entity", "-e", "--name"}


def shell_skeleton(text: str) -> list[str]:
    """Option values that name things (project, entity, sweep name), the same names set in
    WANDB_PROJECT or WANDB_ENTITY, and sweep paths (entity/project/id placeholders) may be
    translated; commands and flags may not."""
    out = []
    for line in text.splitlines():
        words = shlex.split(_strip_comment(line), posix=True)
        kept = []
        for i, word in enumerate(words):
            if i and words[i - 1] in SHELL_VALUE_OPTIONS:
                kept.append(BLANK)
            # entity/project/id, or the web address's entity/project/sweeps/id
            elif re.fullmatch(r"[^/\s]+/[^/\s]+/(sweeps/)?[^/\s]+", word) and not FILE_NAME.match(word):
                kept.append(BLANK)
            elif word.startswith("--") and "=" in word and word.split("=", 1)[0] in SHELL_VALUE_OPTIONS:
                kept.append(word.split("=", 1)[0] + "=" + BLANK)
            elif re.fullmatch(r"WANDB_(PROJECT|ENTITY)=\S+", word):  # `export WANDB_PROJECT=name`
                kept.append(word.split("=", 1)[0] + "=" + BLANK)
            else:
                kept.append(word)
        out.append(" ".join(kept))
    return out


def page_mismatches(en_page: Path, es_page: Path) -> list[str]:
    """The two pages must show the same listings and callouts, in the same order."""
    en_dirs, en_calls = scan(en_page.read_text(encoding="utf-8"))
    es_dirs, es_calls = scan(es_page.read_text(encoding="utf-8"))
    problems = []
    if [k for _, k in en_dirs] != [k for _, k in es_dirs]:
        problems.append(
            f"{es_page} shows listings {[k for _, k in es_dirs]}, but {en_page} shows {[k for _, k in en_dirs]}"
        )
    a = [f"{k}:{t}" for _, k, t in en_calls]
    b = [f"{k}:{t}" for _, k, t in es_calls]
    if a != b:
        for i, (x, y) in enumerate(zip(a + [None] * len(b), b + [None] * len(a))):
            if x != y:
                en_line = en_calls[i][0] if i < len(en_calls) else "end"
                es_line = es_calls[i][0] if i < len(es_calls) else "end"
                problems.append(
                    f"callout #{i + 1} differs: {en_page}:{en_line} has [[{x}]], {es_page}:{es_line} has [[{y}]] "
                    "(both pages must name the same callouts in the same order)"
                )
                break
    return problems
