"""What readers expect of a docs page (issue 12): when it last changed, in their language's
date format; a link to its source only when the site knows its repository; a "may be
outdated" notice that leads to the English page, also under mike's /<version>/.

The session's site is built without a repository URL, from this checkout's history: every
page of it shows the date that history gives (none in a clone too shallow to know it) and
no source link. A small two-language site, in a repository of its own with one commit of a
known date, is deployed with mike under /1.0/ with a repository URL (versions.py, the
deploy the version test also reads) and read in the browser: the dates are visible in each
language's format, the source links are there, and the notice's link leads to the English
page.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from checks import Recorder, site_pages
from versions import REPO_URL, VERSION

from docskit import dates

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {"en": "Last updated: March 5, 2026", "es": "Última actualización: 5 de marzo de 2026"}  # versions.DAY
UPDATED = re.compile(r'<span class="md-source-file__fact page-updated">\s*(.*?):\s*<time datetime="([\d-]+)">(.*?)</time>', re.S)


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

@pytest.fixture(scope="module")
def small_site(mike_deployed):
    """The small site of versions.py, deployed by mike under /1.0/, served."""
    return mike_deployed()["server"]


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
