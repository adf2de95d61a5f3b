"""Search that forgives accents, per language (build-time step on search/search_index.json).

Material's search (lunr, in a web worker) matches tokens as they are written: a reader who
types `configuracion` or `tamano` finds nothing, since the pages say configuración and
tamaño. After the build, every document of the index gets a field `folded`: the words
of its text whose accents fold away (configuración -> configuracion), without them, and
`folded_title`, the same for its title (boosted as the title is). The index's
`config.fields` declares both, and Material's worker indexes every declared field. Queries are unchanged, so accented queries match the text
as before and unaccented ones match `folded`; results still show the text with accents.

A name a page defines (the first cell of a table row, `<code>run_cap</code>`, or a
reference page's code title) goes into a field `defines` of that page's document, boosted,
so that `run_cap` or `wandb.agent` finds the page that defines it first.

The two languages share one index; tools/theme/main.html keeps only the documents of the
page's language when the page hands the index to the worker.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

FIELD = "folded"
TITLE_FIELD = "folded_title"  # boosted like Material's title field
DEFINES = "defines"
DEFINES_BOOST = 10_000.0  # above the title (1000): a page that defines a name outranks pages that name it in a heading
DEFINED = re.compile(r"<tr>\s*<td><code>([^<]+)</code>")
TITLE_CODE = re.compile(r"^<code>([^<]+)</code>$")
WORD = re.compile(r"\w+", re.UNICODE)
TAG = re.compile(r"<[^>]+>")


def fold(text: str) -> str:
    """`text` without combining marks: configuración -> configuracion, tamaño -> tamano."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def folded_words(*texts: str) -> str:
    """The words of `texts` that change when folded, folded, each once, in order."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in WORD.findall(TAG.sub(" ", text)):
            plain = fold(word)
            if plain != word:
                seen.setdefault(plain.lower(), None)
    return " ".join(seen)


def defined_names(page_html: str) -> list[str]:
    """Names a page's HTML defines: the code in the first cell of its table rows."""
    return list(dict.fromkeys(m[1].strip() for m in DEFINED.finditer(page_html)))


def add_folded_field(index: dict, defines: dict[str, list[str]] | None = None) -> dict:
    """Give every document of a Material search index its `folded` field and each page's
    article document its `defines` field (`defines`: page location -> names). Idempotent."""
    defines = defines or {}
    fields = index.setdefault("config", {}).setdefault("fields", {})
    fields.setdefault(FIELD, dict(fields.get("text", {"boost": 1.0})))
    fields.setdefault(TITLE_FIELD, dict(fields.get("title", {"boost": 1000.0})))
    fields.setdefault(DEFINES, {"boost": DEFINES_BOOST})
    for doc in index.get("docs", []):
        if "#" not in doc.get("location", "#"):
            names = list(defines.get(doc["location"], []))
            title = TITLE_CODE.match(doc.get("title", ""))
            if title:
                names.insert(0, title[1])
            if names:
                doc[DEFINES] = " ".join(dict.fromkeys(names))
        for name, text in ((FIELD, doc.get("text", "")), (TITLE_FIELD, doc.get("title", ""))):
            words = folded_words(text)
            if words:
                doc[name] = words
            else:
                doc.pop(name, None)
    return index


def rewrite(site_dir: str | Path, defines: dict[str, list[str]] | None = None) -> bool:
    """Rewrite `<site_dir>/search/search_index.json` in place; False if there is none."""
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return False
    index = add_folded_field(json.loads(path.read_text(encoding="utf-8")), defines)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
