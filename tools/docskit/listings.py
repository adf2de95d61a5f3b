"""Listings: the snippet files a page shows, and the code targets its callouts name.

Every page `docs/<lang>/<path>.md` that shows code has a folder `snippets/<path>/` with
one `listings.yml` and a sub-folder per language holding the files themselves:

    snippets/guides/sweeps/add-w-and-b-to-your-code/
        listings.yml          # declared once for both languages
        en/sdk_sweep.py       # what the English page shows, and what CI runs
        es/sdk_sweep.py       # the Spanish twin: same code, Spanish comments and strings

listings.yml maps a listing key to its file and its targets:

    sdk:
      file: sdk_sweep.py
      targets:
        init: "run = wandb.init("                      # one line
        config: ["lr = wandb.config", "epochs = "]     # a range: first line, last line

A target is a piece of code that must occur on exactly one line of the file, in every
language; prefix it with `re:` to use a regular expression instead. Line numbers are
never typed: the page's callouts name a target and the build computes the number.

A listing whose file is an SVG (`file: best_so_far.svg`) is a figure: a picture that an
example draws, shown as an image instead of code. It has no targets; the page gives its
text alternative (`[[listing key | what the figure shows]]`), and the page's test compares
the committed file with what the example draws (tests/harness.py: `check_figure`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from . import LANGS, SNIPPETS

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FIGURES = (".svg",)  # files shown as images: figures drawn by an example
LEXERS = {".py": "python", ".yaml": "yaml", ".yml": "yaml", ".sh": "bash", ".txt": "text", ".ipynb": "json"}


class ListingError(Exception):
    """A listing or one of its targets is wrong; the message names the files and lines."""


def rel(path: Path) -> str:
    """A path as the repository sees it, for error messages."""
    try:
        return path.resolve().relative_to(SNIPPETS.parent).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Target:
    name: str
    first: str
    last: str | None = None

    def describe(self) -> str:
        return repr(self.first) if self.last is None else f"{self.first!r} .. {self.last!r}"


@dataclass(frozen=True)
class Listing:
    topic: str  # page path without ".md", e.g. "guides/sweeps/add-w-and-b-to-your-code"
    key: str  # e.g. "sdk"
    file: str  # e.g. "sdk_sweep.py"
    targets: dict[str, Target] = field(default_factory=dict)
    wrong: bool = False  # an intentionally wrong example: marked on the page, tested to fail
    notebook: bool = False  # a generated .ipynb twin is offered for download
    offline: bool = False  # a command the page's "without a W&B account" box shows (docskit/offline.py)
    title: str | None = None

    @property
    def figure(self) -> bool:
        """An image drawn by an example, shown as a picture rather than as code."""
        return Path(self.file).suffix in FIGURES

    @property
    def lexer(self) -> str:
        return LEXERS.get(Path(self.file).suffix, "text")

    def path(self, lang: str) -> Path:
        return SNIPPETS / self.topic / lang / self.file

    def ref(self, lang: str) -> str:
        """The path pymdownx.snippets resolves against its base path, snippets/."""
        return f"{self.topic}/{lang}/{self.file}"

    def notebook_path(self, lang: str) -> Path:
        return self.path(lang).with_suffix(".ipynb")

    def lines(self, lang: str) -> list[str]:
        return self.path(lang).read_text(encoding="utf-8").splitlines()

    def resolve(self, target: str, lang: str) -> tuple[int, int]:
        """1-based (first, last) lines of a target in this listing's file for `lang`."""
        if target not in self.targets:
            known = ", ".join(sorted(self.targets)) or "none"
            raise ListingError(
                f"{rel(self.yaml_path())}: listing {self.key!r} has no target {target!r} (known: {known})"
            )
        t = self.targets[target]
        lines = self.lines(lang)
        first = self._find(t, t.first, lines, lang)
        last = first if t.last is None else self._find(t, t.last, lines, lang)
        if last < first:
            raise ListingError(
                f"{rel(self.path(lang))}: target {target!r} of listing {self.key!r} ends on line {last}, "
                f"before it starts on line {first}"
            )
        return first, last

    def _find(self, t: Target, pattern: str, lines: list[str], lang: str) -> int:
        if pattern.startswith("re:"):
            rx = re.compile(pattern[3:])
            hits = [n for n, line in enumerate(lines, 1) if rx.search(line)]
        else:
            hits = [n for n, line in enumerate(lines, 1) if pattern in line]
        if len(hits) != 1:
            found = "no line" if not hits else "lines " + ", ".join(map(str, hits))
            raise ListingError(
                f"{rel(self.path(lang))}: target {t.name!r} of listing {self.key!r} "
                f"({pattern!r}, declared in {rel(self.yaml_path())}) "
                f"must match exactly one line, but matches {found}"
            )
        return hits[0]

    def yaml_path(self) -> Path:
        return SNIPPETS / self.topic / "listings.yml"


@dataclass(frozen=True)
class Topic:
    """The listings of one page (both languages)."""

    name: str

    @property
    def folder(self) -> Path:
        return SNIPPETS / self.name

    @property
    def listings(self) -> dict[str, Listing]:
        path = self.folder / "listings.yml"
        if not path.exists():
            return {}
        return _parse(path, path.stat().st_mtime_ns, self.name)

    def __getitem__(self, key: str) -> Listing:
        try:
            return self.listings[key]
        except KeyError:
            raise ListingError(
                f"{rel(self.folder / 'listings.yml')}: no listing {key!r} "
                f"(known: {', '.join(sorted(self.listings)) or 'none'})"
            ) from None


@lru_cache(maxsize=None)
def _parse(path: Path, mtime_ns: int, topic: str) -> dict[str, Listing]:
    """listings.yml -> its listings; cached per file version (a build asks for each page's
    listings several times per language, and `mkdocs serve` must still see edits)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    out = {}
    for key, spec in data.items():
        if not isinstance(spec, dict) or "file" not in spec:
            raise ListingError(f"{rel(path)}: listing {key!r} needs a 'file'")
        unknown = set(spec) - {"file", "targets", "wrong", "notebook", "offline", "title"}
        if unknown:
            raise ListingError(f"{rel(path)}: listing {key!r} has unknown keys {sorted(unknown)}")
        targets = {}
        for name, pat in (spec.get("targets") or {}).items():
            if isinstance(pat, str):
                targets[name] = Target(name, pat)
            elif isinstance(pat, list) and len(pat) == 2 and all(isinstance(p, str) for p in pat):
                targets[name] = Target(name, pat[0], pat[1])
            else:
                raise ListingError(
                    f"{rel(path)}: target {name!r} of listing {key!r} must be a string or [first, last]"
                )
        listing = Listing(
            topic=topic,
            key=key,
            file=spec["file"],
            targets=targets,
            wrong=bool(spec.get("wrong", False)),
            notebook=bool(spec.get("notebook", False)),
            offline=bool(spec.get("offline", False)),
            title=spec.get("title"),
        )
        if listing.figure and (targets or listing.notebook or listing.wrong or listing.offline):
            raise ListingError(
                f"{rel(path)}: listing {key!r} is a figure ({listing.file}): it takes no targets, notebook, wrong or offline"
            )
        for lang in LANGS:
            if not listing.path(lang).exists():
                raise ListingError(f"{rel(path)}: listing {key!r}: missing file {rel(listing.path(lang))}")
        out[key] = listing
    return out


def topic_of_page(src_path: str) -> Topic:
    """`guides/sweeps/x.md` (relative to a language folder) -> Topic('guides/sweeps/x')."""
    return Topic(str(Path(src_path).with_suffix("")).replace("\\", "/"))


def all_topics() -> list[Topic]:
    return [Topic(str(p.parent.relative_to(SNIPPETS))) for p in sorted(SNIPPETS.rglob("listings.yml"))]


def all_listings() -> list[Listing]:
    return [listing for topic in all_topics() for listing in topic.listings.values()]
