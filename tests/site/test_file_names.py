"""The file name shown over a listing and the file names in its first comment agree.

A listing's title is its file name (or its `title` in listings.yml), and that is also the
name the download saves. A first comment that starts with a file name (`# config.yaml` or
`# config.yaml: ...`) names the file itself: it must be that name. Any other file name in
that comment (`# The same configuration as config.yaml`) names a file the reader gets from
the same page: it must exist next to the listing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docskit import LANGS
from docskit.listings import Listing, all_listings, rel

COMMENT = {"python": "#", "yaml": "#", "bash": "#"}  # listing lexer -> line comment
FILE_NAME = re.compile(r"(?<![\w./-])[\w-]+(?:\.[\w-]+)*\.(?:py|ya?ml|sh|txt|json|ipynb|csv|svg)\b")


def first_comment(path: Path, marker: str) -> tuple[int, str] | None:
    """(line number, text) of the first comment of a file, its following comment lines
    joined; a shebang is not a comment."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        text = line.strip()
        if text.startswith(marker) and not text.startswith("#!"):
            block = [text[len(marker):].strip()]
            for more in lines[n:]:
                if not more.strip().startswith(marker):
                    break
                block.append(more.strip()[len(marker):].strip())
            return n, " ".join(block)
    return None


def disagreements(listing: Listing, lang: str) -> list[str]:
    marker = COMMENT.get(listing.lexer)
    if marker is None or listing.figure:
        return []
    path = listing.path(lang)
    found = first_comment(path, marker)
    if found is None:
        return []
    line, text = found
    shown = listing.title or listing.file
    out = []
    for m in FILE_NAME.finditer(text):
        name = m[0]
        if m.start() == 0:  # the comment starts with a file name: the file's own
            if name != shown:
                out.append(f"{rel(path)}:{line}: its first comment names {name!r}, but the page shows it as {shown!r}")
        elif name != shown and not (path.parent / name).exists():
            out.append(f"{rel(path)}:{line}: its first comment names {name!r}, which the page does not offer "
                       f"next to {shown!r} (snippets/{listing.topic}/{lang}/ has no such file)")
    return out


@pytest.mark.parametrize("listing", all_listings(), ids=lambda l: f"{l.topic}/{l.file}")
def test_the_name_over_a_listing_and_in_its_first_comment_agree(listing):
    problems = [p for lang in LANGS for p in disagreements(listing, lang)]
    assert not problems, "\n".join(problems)


# --- the checker, on files made to disagree ------------------------------------------------

def _listing(tmp_path, monkeypatch, files: dict[str, str], file: str) -> Listing:
    import docskit.listings as listings

    monkeypatch.setattr(listings, "SNIPPETS", tmp_path)
    for lang in LANGS:
        (tmp_path / "page" / lang).mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (tmp_path / "page" / lang / name).write_text(text, encoding="utf-8")
    return Listing(topic="page", key="ex", file=file)


def test_a_first_comment_naming_another_file_is_reported_with_the_file_and_line(tmp_path, monkeypatch):
    listing = _listing(tmp_path, monkeypatch, {"train_original.py": "#!/usr/bin/env python\n# train.py\nx = 1\n"},
                       "train_original.py")
    [en, es] = disagreements(listing, "en") + disagreements(listing, "es")
    assert en.endswith("page/en/train_original.py:2: its first comment names 'train.py', but the page shows it as 'train_original.py'")
    assert "page/es/train_original.py:2" in es


def test_a_reference_to_a_file_of_the_page_is_fine_and_one_to_a_missing_file_is_not(tmp_path, monkeypatch):
    files = {"sweep.py": "import wandb\n# The same configuration as config.yaml\n", "config.yaml": "# config.yaml: a grid\n"}
    assert disagreements(_listing(tmp_path, monkeypatch, files, "sweep.py"), "en") == []
    assert disagreements(_listing(tmp_path, monkeypatch, files, "config.yaml"), "en") == []
    files["sweep.py"] = "# The same configuration as sweep.yaml\nimport wandb\n"
    [problem] = disagreements(_listing(tmp_path, monkeypatch, files, "sweep.py"), "en")
    assert "names 'sweep.yaml', which the page does not offer" in problem


def test_only_the_first_comment_counts(tmp_path, monkeypatch):
    files = {"ex.py": "# ex.py: an example\nimport wandb\n# later, train.py is mentioned\n"}
    assert disagreements(_listing(tmp_path, monkeypatch, files, "ex.py"), "en") == []
