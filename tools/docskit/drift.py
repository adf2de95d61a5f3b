"""Translation drift: has the English page changed since its translation was last updated?

Each translated page records, in its front matter, the fingerprint of the English page it
was translated from:

    translated_from: 3f2a9c1b0d4e   # first 12 hex digits of sha256(docs/en/<same path>)

When the English page changes, the fingerprints differ: the build shows a visible notice
on the translated page and logs it, and the gate's drift report lists it. After updating
the translation, record the new fingerprint with

    python tools/docskit/drift.py --accept docs/es/guides/sweeps/index.md
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
from pathlib import Path, PurePosixPath

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "docskit"

import yaml

from . import DEFAULT_LANG, DOCS, LANGS

KEY = "translated_from"
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)

# The link is HTML, not a Markdown link: its target is a built page's URL (from the
# i18n plugin's map of each page's twins), which MkDocs would not recognise as a source
# file and would log as an "unrecognized relative link". It is relative, so it holds
# wherever the site is served (/, /<version>/ with mike).
NOTICE = {
    "es": (
        '!!! warning "Esta traducción puede estar desactualizada"\n\n'
        '    La <a href="{url}" hreflang="en">versión en inglés</a> de esta página cambió después de la última '
        "actualización de esta traducción."
    ),
}


def fingerprint(path: str) -> str:
    return hashlib.sha256((DOCS / DEFAULT_LANG / path).read_bytes()).hexdigest()[:12]


def front_matter(text: str) -> dict:
    m = FRONT_MATTER.match(text)
    return (yaml.safe_load(m[1]) or {}) if m else {}


def is_outdated(path: str, meta: dict) -> bool:
    return str(meta.get(KEY, "")) != fingerprint(path)


def describe(path: str, lang: str, meta: dict) -> str:
    recorded = meta.get(KEY) or "nothing"
    return (
        f"docs/{lang}/{path} records translated_from {recorded}, but docs/{DEFAULT_LANG}/{path} "
        f"is now {fingerprint(path)}: update the translation, then run "
        f"`python tools/docskit/drift.py --accept docs/{lang}/{path}`"
    )


def notice(path: str, lang: str, meta: dict, url: str) -> str | None:
    """The notice for docs/<lang>/<path> if it is behind its English source; `url` is the
    English page's address relative to this page (hook.py gets it from the i18n plugin)."""
    if not (DOCS / DEFAULT_LANG / path).exists() or not is_outdated(path, meta):
        return None
    return NOTICE[lang].format(url=html.escape(url, quote=True))


def relative_url(path: str) -> str:
    """From /<lang>/<page>/ to /<page>/ (directory URLs), for a page path inside the language
    folder: the fallback when the i18n plugin does not know the page's twin."""
    depth = path.count("/") + (0 if path.endswith("index.md") else 1) + 1
    return "../" * depth + (path[: -len("index.md")] if path.endswith("index.md") else path[:-3] + "/")


def report() -> list[str]:
    """One line per translated page that is behind its English source."""
    out = []
    for lang in LANGS:
        if lang == DEFAULT_LANG:
            continue
        for page in sorted((DOCS / lang).rglob("*.md")):
            path = page.relative_to(DOCS / lang).as_posix()
            if (DOCS / DEFAULT_LANG / path).exists():
                meta = front_matter(page.read_text(encoding="utf-8"))
                if is_outdated(path, meta):
                    out.append(describe(path, lang, meta))
    return out


def accept(page: Path) -> None:
    rel = page.resolve().relative_to(DOCS)
    lang, path = rel.parts[0], PurePosixPath(*rel.parts[1:]).as_posix()
    text = page.read_text(encoding="utf-8")
    m = FRONT_MATTER.match(text)
    if not m:
        raise SystemExit(f"{page}: no front matter")
    body = re.sub(rf"^{KEY}:.*\n", "", m[1], flags=re.M) + f"{KEY}: {fingerprint(path)}\n"
    page.write_text(f"---\n{body}---\n" + text[m.end():], encoding="utf-8")
    print(f"{page}: {KEY} = {fingerprint(path)} ({lang})")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--accept"]:
        for arg in args[1:]:
            accept(Path(arg))
    else:
        lines = report()
        print("\n".join(lines) if lines else "translation drift: none")
