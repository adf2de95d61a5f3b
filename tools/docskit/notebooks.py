"""Jupyter notebooks generated from their snippets, never edited by hand.

A listing with `notebook: true` gets a twin `<file>.ipynb` in each language folder. Its
code cells are the snippet's top-level blocks (split where the file has two blank lines,
as PEP 8 separates top-level definitions), so the notebook runs the very same code; its
outputs come from executing it against the mock SDK with the seed pinned, so that nbval
(`nox -s notebooks`) can re-run it and compare.

    python tools/docskit/notebooks.py            # regenerate and execute every notebook
    python tools/docskit/notebooks.py --check    # fail if a notebook's cells drifted from its snippet
    python tools/docskit/notebooks.py --nbval    # re-execute every notebook with nbval, compare outputs

nbval runs in a fresh copy of each notebook's folder, so that every kernel starts from an
empty ./wandb store and the seeded ids and samples come out as stored.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "docskit"

from . import DOCS, LANGS  # noqa: E402
from .drift import front_matter  # noqa: E402
from .listings import Listing, all_listings, rel  # noqa: E402

SEED = "0"
HEADER = {
    "en": "# {title}\n\nGenerated from `{file}`, the example of the page *{title}*. "
    "It runs against the `wandb` package installed in this kernel.",
    "es": "# {title}\n\nGenerado a partir de `{file}`, el ejemplo de la página *{title}*. "
    "Se ejecuta con el paquete `wandb` instalado en este kernel.",
}


def cells_of(source: str) -> list[str]:
    blocks = re.split(r"\n{3,}", source.strip("\n"))
    return [b.strip("\n") for b in blocks if b.strip()]


def page_title(listing: Listing, lang: str) -> str:
    page = DOCS / lang / f"{listing.topic}.md"
    return front_matter(page.read_text(encoding="utf-8")).get("title", listing.topic)


def build(listing: Listing, lang: str) -> dict:
    """The notebook's JSON, without outputs."""
    header = HEADER[lang].format(title=page_title(listing, lang), file=listing.file)
    cells = [{"cell_type": "markdown", "metadata": {}, "source": _lines(header)}]
    for code in cells_of(listing.path(lang).read_text(encoding="utf-8")):
        cells.append(
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": _lines(code)}
        )
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def _with_ids(nb: dict) -> dict:
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell-{i}"  # stable ids: regenerating gives the same file
    return nb


def execute(nb: dict, listing: Listing, lang: str) -> dict:
    import nbformat
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / lang
        shutil.copytree(listing.path(lang).parent, work)
        env = {"WANDB_DIR": str(work), "WANDB_MOCK_SEED": SEED, "PYTHONHASHSEED": "0"}
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            node = nbformat.reads(json.dumps(nb), as_version=4)
            NotebookClient(node, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(work)}}).execute()
        finally:
            for k, v in saved.items():
                os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    for cell in node.cells:
        cell.get("metadata", {}).pop("execution", None)
    return json.loads(nbformat.writes(node))


def dump(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def sources(nb: dict) -> list[tuple[str, str]]:
    return [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]


def check() -> list[str]:
    problems = []
    for listing in [l for l in all_listings() if l.notebook]:
        for lang in LANGS:
            path = listing.notebook_path(lang)
            if not path.exists():
                problems.append(f"{rel(path)} is missing: run python tools/docskit/notebooks.py")
                continue
            stored = json.loads(path.read_text(encoding="utf-8"))
            if sources(stored) != sources(build(listing, lang)):
                problems.append(
                    f"{rel(path)} is out of sync with {rel(listing.path(lang))}: "
                    "run python tools/docskit/notebooks.py (never edit notebooks by hand)"
                )
            elif any(c["cell_type"] == "code" and c.get("execution_count") is None for c in stored["cells"]):
                problems.append(f"{rel(path)} has code cells that never ran: regenerate it")
    return problems


def write() -> None:
    for listing in [l for l in all_listings() if l.notebook]:
        for lang in LANGS:
            nb = _with_ids(execute(_with_ids(build(listing, lang)), listing, lang))
            listing.notebook_path(lang).write_text(dump(nb), encoding="utf-8")
            print(f"wrote {rel(listing.notebook_path(lang))}")


def nbval(args: list[str]) -> int:
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for listing in [l for l in all_listings() if l.notebook]:
            for lang in LANGS:
                work = Path(tmp) / listing.topic / lang
                shutil.copytree(listing.path(lang).parent, work)
                paths.append(str(work / listing.notebook_path(lang).name))
        env = {**os.environ, "WANDB_MOCK_SEED": SEED, "PYTHONHASHSEED": "0"}
        env.pop("WANDB_DIR", None)  # each kernel uses ./wandb in its own fresh folder
        cmd = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
               "-c", os.devnull, "--rootdir", tmp, *paths, *args]
        return subprocess.run(cmd, cwd=tmp, env=env).returncode


if __name__ == "__main__":
    if sys.argv[1:2] == ["--nbval"]:
        sys.exit(nbval(sys.argv[2:]))
    if sys.argv[1:] == ["--check"]:
        found = check()
        print("\n".join(found) if found else "notebooks: in sync with their snippets")
        sys.exit(1 if found else 0)
    write()
