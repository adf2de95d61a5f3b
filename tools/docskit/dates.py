"""When each page last changed, from git history: one `git log` for the whole site.

A page's date is the newest commit date (committer's, as `git log --format=%cs` gives it)
among the files that make what the reader sees: the page itself (docs/<lang>/<page>.md),
its listings.yml and its snippet files in that language (snippets/<page>/<lang>/). The
theme shows it under the page, in the page's language:

    Last updated: December 4, 2026          Última actualización: 4 de diciembre de 2026

Without a date, a page shows nothing, and the build goes on (it never fails for this):
- outside a git checkout, or without git: no page has a date (logged once, at INFO);
- a file never committed counts for nothing (a new page shows no date until committed);
- in a shallow clone (`git clone --depth N`, the default of many CI checkouts), a file
  last changed at or before the oldest fetched commit has no known date: that commit looks
  as if it added every file. Such files are left out; a page whose files are all of that
  kind shows no date, and the build says how to fetch the history (`git fetch --unshallow`,
  or `fetch-depth: 0` for actions/checkout).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import ROOT

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"],
}
LABEL = {"en": "Last updated", "es": "Última actualización"}
SHALLOW_HINT = (
    "git history is shallow: {n} page(s) changed only before the oldest fetched commit show no "
    "date; fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout)"
)


def format_date(day: dt.date, lang: str) -> str:
    """December 4, 2026 (en); 4 de diciembre de 2026 (es)."""
    month = MONTHS[lang][day.month - 1]
    if lang == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{month} {day.day}, {day.year}"


@dataclass
class History:
    """Last change of every file under docs/ and snippets/, from one `git log`."""

    dates: dict[str, dt.date] = field(default_factory=dict)  # repository path -> date
    unknown: set[str] = field(default_factory=set)  # shallow clone: changed at or before the boundary
    shallow: bool = False
    reason: str | None = None  # why there are no dates at all

    def page_date(self, lang: str, page: str) -> dt.date | None:
        """The date of docs/<lang>/<page> (e.g. page = guides/sweeps/walkthrough.md)."""
        topic = page[: -len(".md")] if page.endswith(".md") else page
        files = [f"docs/{lang}/{page}", f"snippets/{topic}/listings.yml"]
        prefix = f"snippets/{topic}/{lang}/"
        known = [self.dates[f] for f in files if f in self.dates]
        known += [day for path, day in self.dates.items() if path.startswith(prefix)]
        return max(known, default=None)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    # GIT_CEILING_DIRECTORIES: only `root` itself may be the checkout, never a folder above
    # it (a throwaway project inside some other repository has no history of its own).
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(root.resolve().parent), "LC_ALL": "C"}
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)


def history(root: Path = ROOT) -> History:
    try:
        proc = _git(root, "-c", "core.quotePath=false", "log", "--format=%x1e%cs %P", "--name-only",
                    "--", "docs", "snippets")
    except OSError as err:  # no git
        return History(reason=f"git is not available ({err.strerror}): pages show no date")
    if proc.returncode != 0:
        first = (proc.stderr.strip().splitlines() or ["no output"])[0]
        return History(reason=f"no git history ({first}): pages show no date")
    newest: dict[str, tuple[dt.date, bool]] = {}  # path -> (date, from a parentless commit)
    for record in proc.stdout.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        day, _, parents = head.partition(" ")
        date = dt.date.fromisoformat(day)
        root_commit = not parents.strip()
        for name in names.split("\n"):
            if not name:
                continue
            seen = newest.get(name)
            if seen is None or date > seen[0] or (date == seen[0] and seen[1] and not root_commit):
                newest[name] = (date, root_commit)
    out = History()
    if any(root_commit for _, root_commit in newest.values()):
        # A commit without parents is the first commit, or, in a shallow clone, the oldest
        # one fetched: only then is a second question worth asking.
        out.shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    for name, (date, root_commit) in newest.items():
        if root_commit and out.shallow:
            out.unknown.add(name)
        else:
            out.dates[name] = date
    return out
