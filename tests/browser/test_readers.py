"""What readers expect of a docs page (issue 12): when it last changed, in their language's
date format; a link to its source only when the site knows its repository; a "may be
outdated" notice that leads to the English page, also under mike's /<version>/.

The session's site is built without a repository URL, from this checkout's history: every
page of it shows the date that history gives (none in a clone too shallow to know it) and
no source link. A small two-language site, in a repository of its own with one commit of a
known date, is deployed with mike under /1.0/ with a repository URL and read in the
browser: the dates are visible in each language's format, the source links are there, and
the notice's link leads to the English page.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

import mkdocs_config
from checks import Recorder, site_pages
from server import SiteServer

from docskit import dates

ROOT = Path(__file__).resolve().parents[2]
REPO_URL = "https://git.example.org/team/sweeps-guide"  # not GitHub: Material fetches nothing for it
VERSION = "1.0"
DAY = "2026-03-05"  # the small site's only commit
EXPECTED = {"en": "Last updated: March 5, 2026", "es": "Última actualización: 5 de marzo de 2026"}
UPDATED = re.compile(r'<span class="md-source-file__fact page-updated">\s*(.*?):\s*<time datetime="([\d-]+)">(.*?)</time>', re.S)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "docs", "GIT_AUTHOR_EMAIL": "docs@example.invalid",
    "GIT_COMMITTER_NAME": "docs", "GIT_COMMITTER_EMAIL": "docs@example.invalid",
    "GIT_AUTHOR_DATE": f"{DAY}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{DAY}T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def source_of(path: str) -> tuple[str, str]:
    """/es/guides/sweeps/walkthrough/ -> ("es", "guides/sweeps/walkthrough.md")."""
    lang = "es" if path.startswith("/es/") else "en"
    rest = path[len("/es/"):] if lang == "es" else path[1:]
    for candidate in (f"{rest}index.md", f"{rest.rstrip('/')}.md"):
        if (ROOT / "docs" / lang / candidate).is_file():
            return lang, candidate
    raise AssertionError(f"{path}: no source page in docs/{lang}/")


# --- the session's site: dates from this checkout, no repository URL ------------------------

def test_every_page_shows_the_date_its_history_gives_and_no_source_link_unless_configured(site):
    history = dates.history(ROOT)
    configured = bool(os.environ.get("SITE_REPO_URL"))
    wrong = []
    for path in site_pages(site.root):
        html = (site.root / path.lstrip("/") / "index.html").read_text(encoding="utf-8") if path.endswith("/") else \
            (site.root / path.lstrip("/")).read_text(encoding="utf-8")
        lang, page = source_of(path)
        day = history.page_date(lang, page)
        shown = UPDATED.findall(html)
        want = [(dates.LABEL[lang], day.isoformat(), dates.format_date(day, lang))] if day else []
        if shown != want:
            wrong.append(f"{path}: shows {shown}, its history (docs/{lang}/{page} and its snippets) gives {want}")
        if ('rel="edit"' in html) != configured:
            wrong.append(f"{path}: {'no' if configured else 'a'} source link, SITE_REPO_URL {'set' if configured else 'unset'}")
    assert not wrong, "\n".join(wrong)
    if not history.shallow and history.reason is None:
        assert history.dates, "a full checkout: pages have dates"


# --- a small site with a repository URL, deployed with mike --------------------------------

def _project(repo: Path, site_url: str) -> None:
    """Two pages per language; the Spanish guide page was never accepted as a translation."""
    config = mkdocs_config.load()
    config.pop("nav")
    config.update(site_url=site_url, repo_url=REPO_URL, exclude_docs="")
    (repo / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for folder in ("docskit", "theme"):
        shutil.copytree(ROOT / "tools" / folder, repo / "tools" / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs" / "assets", repo / "docs" / "assets")
    (repo / "snippets").mkdir()  # mkdocs.yml watches it; this site shows no listing
    pages = {
        "en/index.md": "# Home\n\nA small site.\n",
        "es/index.md": "# Inicio\n\nUn sitio pequeño.\n",
        "en/guides/page.md": "# Guide page\n\nText.\n",
        "es/guides/page.md": "# Página de guía\n\nTexto.\n",
    }
    for name, text in pages.items():
        (repo / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / "docs" / name).write_text(text, encoding="utf-8")


def _run(cmd: list[str], cwd: Path, env: dict) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(cmd)}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    repo = tmp_path_factory.mktemp("small-site")
    server = SiteServer()  # bound first: its origin is the site_url of the deploy
    _project(repo, server.origin + "/")
    bindir = Path(sys.executable).parent
    env = {**os.environ, **GIT_ENV, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("SITE_REPO_URL", None)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "docs"]):
        _run(["git", *args], repo, env)
    mike = shutil.which("mike", path=env["PATH"])
    assert mike, "the `mike` command is not installed (noxfile.py: BROWSER)"
    _run([mike, "deploy", "--branch", "gh-pages", VERSION], repo, env)
    tree = tmp_path_factory.mktemp("small-site-pages")
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, capture_output=True, check=True).stdout
    tarfile.open(fileobj=io.BytesIO(archive)).extractall(tree)
    server.serve(tree)
    yield server
    server.close()


@pytest.fixture
def small_page(browser, small_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorder = Recorder(small_site.origin).attach(context)
    yield context.new_page()
    context.close()
    assert not recorder.offhost, recorder.offhost


@pytest.mark.parametrize("lang", ["en", "es"])
def test_with_a_repository_url_each_page_links_to_its_source_and_shows_its_date(small_site, small_page, lang):
    prefix = "" if lang == "en" else "es/"
    response = small_page.goto(small_site.url(f"/{VERSION}/{prefix}guides/page/"))
    assert response.status == 200
    edit = small_page.locator("a.md-content__button[rel=edit]")
    assert edit.is_visible()
    assert edit.get_attribute("href") == f"{REPO_URL}/edit/main/docs/{lang}/guides/page.md"
    view = small_page.locator("a.md-content__button:not([rel])")
    assert view.get_attribute("href") == f"{REPO_URL}/raw/main/docs/{lang}/guides/page.md"
    fact = small_page.locator(".page-updated")
    assert fact.is_visible() and " ".join(fact.inner_text().split()) == EXPECTED[lang]


def test_the_outdated_notice_leads_to_the_english_page_under_the_version(small_site, small_page):
    small_page.goto(small_site.url(f"/{VERSION}/es/guides/page/"))
    link = small_page.locator(".admonition.warning a[hreflang=en]")
    assert link.is_visible() and link.inner_text() == "versión en inglés"
    with small_page.expect_navigation():
        link.click()
    assert small_page.url == small_site.url(f"/{VERSION}/guides/page/")
    assert small_page.evaluate("document.documentElement.lang") == "en"
    assert small_page.title().startswith("Guide page")
