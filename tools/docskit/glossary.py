"""The glossary (docs/glossary.yml) applied to the prose of the Spanish pages."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from . import DOCS

FENCE = re.compile(r"^([ \t]*)(```|~~~).*?^\1\2[ \t]*$", re.M | re.S)
REMOVE = [
    re.compile(r"\A---\n.*?\n---\n", re.S),  # front matter (checked for title/description below)
    re.compile(r"`[^`\n]*`"),  # inline code: API names, keys, file names
    re.compile(r"\[\[listing [\w-]+[ \t]*\|"),  # a figure's directive: its text alternative stays
    re.compile(r"\[\[[^\]|]*\]\]"),  # listing directives and callouts
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<[^>\n]*>"),  # HTML tags
    re.compile(r"\{[^}\n]*\}"),  # attribute lists
]
# API and command names and command-line options, which titles and descriptions carry
# without backticks.
API_NAME = re.compile(
    r"(?<![\w-])wandb(?:\.\w+)+|(?<![\w-])wandb (?:sweep|agent|login|controller)(?![\w-])|(?<![\w-])--[a-z][\w-]*"
)


@cache
def glossary() -> dict:
    return yaml.safe_load((DOCS / "glossary.yml").read_text(encoding="utf-8"))


def prose(markdown: str) -> str:
    """The words a reader reads: no code, no link targets, no markup; titles kept."""
    meta = re.match(r"\A---\n(.*?)\n---\n", markdown, re.S)
    text = FENCE.sub("", markdown)
    for rx in REMOVE:
        text = rx.sub(" ", text)
    if meta:
        fm = yaml.safe_load(meta[1]) or {}
        text = f"{fm.get('title', '')}\n{fm.get('description', '')}\n{text}"
    return API_NAME.sub(" ", text)


def _word(rx: str) -> re.Pattern:
    rx = rx.replace(" ", r"\s+")  # a term may wrap onto the next line
    return re.compile(rf"(?<![\w-]){rx}(?![\w-])", re.I)


def problems(es_page: Path, en_page: Path | None) -> list[str]:
    g = glossary()
    es_text = prose(es_page.read_text(encoding="utf-8"))
    en_text = prose(en_page.read_text(encoding="utf-8")) if en_page and en_page.exists() else ""
    out = []

    def where(m: re.Match) -> str:
        line = es_text.count("\n", 0, m.start()) + 1
        return f"{es_page}: {m[0]!r} (prose line {line})"

    for term in g["terms"]:
        for bad in term.get("avoid", []):
            for m in _word(bad).finditer(es_text):
                out.append(f"{where(m)}: write {term['es']!r} for {term['en']!r} (docs/glossary.yml)")
        if term.get("require") and en_text and _word(term["en"] + "s?").search(en_text) and not _word(term["es"]).search(es_text):
            out.append(
                f"{es_page}: the English page uses {term['en']!r} but this page never uses {term['es']!r} "
                "(docs/glossary.yml)"
            )
    for bad in g.get("avoid_register", []):
        for m in _word(bad).finditer(es_text):
            out.append(f"{where(m)}: the site addresses the reader as 'tú', in neutral Spanish")
    return out


def spanish_pages() -> list[Path]:
    return sorted((DOCS / "es").rglob("*.md"))
