"""Page dates from git history (docskit/dates.py): one `git log`, each language's own files,
no git, a folder inside someone else's repository, and shallow clones."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

import docskit.dates as dates

GIT_ID = {"GIT_AUTHOR_NAME": "docs", "GIT_AUTHOR_EMAIL": "docs@example.invalid",
          "GIT_COMMITTER_NAME": "docs", "GIT_COMMITTER_EMAIL": "docs@example.invalid"}


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, **GIT_ID, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00+00:00", GIT_COMMITTER_DATE=f"{date}T12:00:00+00:00")
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def commit(repo: Path, date: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"change of {date}", date=date)


@pytest.fixture
def repo(tmp_path) -> Path:
    """Three commits: a page and its snippets, then the Spanish snippet, then the English page."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "2026-01-10", {
        "docs/en/guides/page.md": "# Page\n", "docs/es/guides/page.md": "# Página\n",
        "snippets/guides/page/listings.yml": "ex:\n  file: ex.py\n",
        "snippets/guides/page/en/ex.py": "print(1)\n", "snippets/guides/page/es/ex.py": "print(1)\n",
        "docs/en/other.md": "# Other\n", "docs/es/other.md": "# Otra\n",
        "tools/unrelated.py": "",
    })
    commit(repo, "2026-02-20", {"snippets/guides/page/es/ex.py": "print(1)  # uno\n"})
    commit(repo, "2026-03-05", {"docs/en/guides/page.md": "# Page, revised\n", "tools/unrelated.py": "x = 1\n"})
    return repo


def test_dates_in_each_language_format():
    day = dt.date(2026, 12, 4)
    assert dates.format_date(day, "en") == "December 4, 2026"
    assert dates.format_date(day, "es") == "4 de diciembre de 2026"
    assert dates.format_date(dt.date(2027, 1, 1), "es") == "1 de enero de 2027"
    assert (dates.LABEL["en"], dates.LABEL["es"]) == ("Last updated", "Última actualización")


def test_a_page_is_as_new_as_its_newest_file_in_its_language(repo):
    history = dates.history(repo)
    assert history.reason is None and not history.shallow
    # English: the page changed last (March); its snippets in February did not touch English.
    assert history.page_date("en", "guides/page.md") == dt.date(2026, 3, 5)
    # Spanish: its page is from January, but its snippet changed in February.
    assert history.page_date("es", "guides/page.md") == dt.date(2026, 2, 20)
    assert history.page_date("es", "other.md") == dt.date(2026, 1, 10)
    assert "tools/unrelated.py" not in history.dates  # only docs/ and snippets/ are read
    assert history.page_date("en", "never-committed.md") is None


def test_one_git_log_for_every_page(repo, monkeypatch):
    calls = []
    real = subprocess.run

    def spy(cmd, *args, **kwargs):
        calls.append(cmd)
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(dates.subprocess, "run", spy)
    history = dates.history(repo)
    for page in ("guides/page.md", "other.md"):
        for lang in ("en", "es"):
            history.page_date(lang, page)
    logs = [c for c in calls if "log" in c]
    assert len(logs) == 1, calls
    # The first commit has no parent: one more question, whether the clone is shallow.
    assert len(calls) == 2 and calls[1][-2:] == ["rev-parse", "--is-shallow-repository"]


def test_outside_a_git_checkout_pages_have_no_date_and_the_reason_is_given(tmp_path):
    history = dates.history(tmp_path)
    assert history.dates == {} and history.page_date("en", "index.md") is None
    assert "no git history" in history.reason and "pages show no date" in history.reason


def test_a_project_inside_another_repository_does_not_take_its_history(repo):
    inner = repo / "docs" / "project"  # inside the repository, but not a checkout of its own
    inner.mkdir()
    history = dates.history(inner)
    assert history.dates == {} and "no git history" in history.reason


def test_without_git_pages_have_no_date(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo))  # no git on PATH
    history = dates.history(repo)
    assert history.dates == {} and "git is not available" in history.reason


def test_a_shallow_clone_dates_only_what_changed_after_its_oldest_commit(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo}", str(clone))
    history = dates.history(clone)
    assert history.shallow
    # The oldest fetched commit (February) looks as if it added every file: only the files
    # changed after it have a known date.
    assert history.page_date("en", "guides/page.md") == dt.date(2026, 3, 5)
    assert history.page_date("es", "guides/page.md") is None  # its February change is the boundary
    assert history.page_date("en", "other.md") is None
    assert "snippets/guides/page/es/ex.py" in history.unknown


def test_a_clone_of_depth_one_has_no_dates_and_says_how_to_fix_it(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    history = dates.history(clone)
    assert history.shallow and history.dates == {}
    assert "git fetch --unshallow" in dates.SHALLOW_HINT and "fetch-depth: 0" in dates.SHALLOW_HINT
