"""Screenshots for reviewers, versions with mike, and the checkers' own negative tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import io
from pathlib import Path

import pytest

from checks import (
    AXE_OPTIONS, INTERACT, Crawl, PageInfo, Recorder, axe_source, dead_links, follow_problems, line_number_problems,
    prepare, serious_violations, visit,
)
from conftest import SCREENSHOT_PAGES, find_chromium
from server import SiteServer

ROOT = Path(__file__).resolve().parents[2]
GUIDE = "/guides/sweeps/add-w-and-b-to-your-code/"


def test_screenshots_of_the_guide_page(crawl, crawl_dark):
    """Full-page PNGs in build/screenshots/ (ignored by git), so a reviewer sees the page
    unserved: English and Spanish, light and dark, taken by the crawl right after the page
    settled (conftest.py: SCREENSHOT_PAGES)."""
    crawls = {"light": crawl, "dark": crawl_dark}
    for (path, scheme), out in SCREENSHOT_PAGES.items():
        info = crawls[scheme].pages[path]
        assert info.scheme == ("slate" if scheme == "dark" else "default"), (path, info.scheme)
        assert info.screenshot == str(out) and out.stat().st_size > 10_000, (path, scheme)


# --- versions -----------------------------------------------------------------------------

VERSION = "1.0"


def _run(cmd, cwd, env=None):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(cmd)}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_mike_deploys_both_languages_with_a_version_selector(tmp_path, browser):
    """`mike deploy` into a gh-pages branch of a throwaway repository, then the browser."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", "site", "build", ".nox", "__pycache__", "*.egg-info"))
    git = ["git", "-c", "user.name=docs", "-c", "user.email=docs@example.invalid"]
    _run(["git", "init", "-q", "-b", "main"], repo)
    _run(git + ["add", "-A"], repo)
    _run(git + ["commit", "-q", "-m", "docs"], repo)
    server = SiteServer()  # bound first: its origin is the site_url of the deploy
    bindir = Path(sys.executable).parent
    env = {
        **os.environ,
        "SITE_URL": server.origin + "/",
        "NO_MKDOCS_2_WARNING": "1",
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "GIT_AUTHOR_NAME": "docs", "GIT_AUTHOR_EMAIL": "docs@example.invalid",
        "GIT_COMMITTER_NAME": "docs", "GIT_COMMITTER_EMAIL": "docs@example.invalid",
    }
    mike_exe = shutil.which("mike", path=env["PATH"])
    assert mike_exe, "the `mike` command is not installed (noxfile.py: BROWSER)"
    mike = [mike_exe]
    _run(mike + ["deploy", "--branch", "gh-pages", "--update-aliases", VERSION, "latest"], repo, env)
    _run(mike + ["set-default", "--branch", "gh-pages", "latest"], repo, env)
    files = set(_run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], repo).split())
    for needed in (f"{VERSION}/index.html", f"{VERSION}/es/index.html", "versions.json", "index.html"):
        assert needed in files, f"gh-pages lacks {needed}"
    versions = json.loads(_run(["git", "show", "gh-pages:versions.json"], repo))
    assert versions[0]["version"] == VERSION and "latest" in versions[0]["aliases"], versions

    tree = tmp_path / "gh-pages"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, capture_output=True, check=True).stdout
    tarfile.open(fileobj=io.BytesIO(archive)).extractall(tree)
    server.serve(tree)
    try:
        context = browser.new_context()
        recorder = Recorder(server.origin).attach(context)
        page = context.new_page()
        for path, lang in ((f"/{VERSION}/", "en"), (f"/{VERSION}/es/", "es"), ("/latest/es/", "es")):
            response = page.goto(server.origin + path)
            assert response.status == 200, path
            assert page.evaluate("document.documentElement.lang") == lang, path
            page.wait_for_selector(".md-version__current", timeout=10_000)
            assert VERSION in page.locator(".md-version__current").inner_text(), path
        # the default (/) leads to latest
        page.goto(server.origin + "/")
        page.wait_for_url(f"{server.origin}/latest/**")
        context.close()
        assert not recorder.offhost, recorder.offhost
    finally:
        server.close()


# --- negative tests of the checkers -------------------------------------------------------

def test_recorder_blocks_and_reports_offhost_requests(browser, site):
    """Requests to other hosts (by name or by address) are reported, and the browser fails
    them before they leave (conftest.py: CHROMIUM_ARGS, checks.BLOCK_OTHER_HOSTS)."""
    context = browser.new_context()
    recorder = Recorder(site.origin).attach(context)
    page = context.new_page()
    page.goto(site.url("/"))
    urls = ("http://example.com/tracker.png", "https://cdn.example.org/x.js", "http://93.184.216.34/pixel.gif")
    with page.expect_event("requestfailed", lambda r: r.url == urls[-1]):
        page.set_content(f'<img src="{urls[0]}"><script src="{urls[1]}"></script><img src="{urls[2]}">')
    page.wait_for_load_state("load")  # every subresource done: loaded or failed
    context.close()
    for url in urls:
        assert any(r.endswith(url) for r in recorder.offhost), (url, recorder.offhost)
        assert any(f.startswith(url) and "ERR_NAME_NOT_RESOLVED" in f for f in recorder.failed), (url, recorder.failed)


# The crawl clicks with el.click() inside the page (checks.HELPERS), after the checks
# Playwright makes before its own clicks. Shown here on the guide page: what Playwright would
# refuse to click is reported, not clicked; a callout whose line is not highlighted, or that
# leads out of view, is reported.

GUIDE = "/guides/sweeps/add-w-and-b-to-your-code/"


def test_in_page_clicks_refuse_what_a_reader_could_not_click(reader):
    page = reader
    page.goto(GUIDE)
    page.evaluate("""() => {
      // a sheet over the first listing's copy button; the first callout hidden; the second
      // callout's line not highlighted; the third callout pointing at a line that is gone
      const d = document.querySelector('div.listing');
      const b = d.querySelector('button.md-code__button[data-md-type=copy]').getBoundingClientRect();
      const sheet = document.createElement('div');
      sheet.id = 'sheet';
      Object.assign(sheet.style, {position: 'absolute', left: (b.left - 10 + scrollX) + 'px', top: (b.top - 10 + scrollY) + 'px',
                                  width: (b.width + 20) + 'px', height: (b.height + 20) + 'px', zIndex: 10, background: 'white'});
      d.style.position = 'relative';
      document.body.appendChild(sheet);
      const [c0, c1, c2] = document.querySelectorAll('a.callout');
      c0.style.visibility = 'hidden';
      document.getElementById(c1.getAttribute('href').slice(1)).parentElement.classList.remove('hll');
      c2.setAttribute('href', '#nowhere');
    }""")
    done = page.evaluate(INTERACT)
    first = done["listings"][0]
    assert first.get("problem", "").startswith("its copy button is covered by div#sheet"), first
    assert "clipboard" not in first
    assert all("clipboard" in d for d in done["listings"][1:]), done["listings"][1:]
    problems = follow_problems(GUIDE, done["follows"][:3])
    assert len(problems) == 3, problems
    assert "callout #0" in problems[0] and "is not visible" in problems[0], problems
    assert "callout #1" in problems[1] and "'hl': False" in problems[1], problems
    assert "callout #2 (#nowhere)" in problems[2], problems
    assert not follow_problems(GUIDE, done["follows"][3:])
    # and Playwright's own click refuses the covered button too
    with pytest.raises(Exception, match="intercepts pointer events"):
        page.locator("div.listing button.md-code__button[data-md-type=copy]").first.click(timeout=2_000)


def test_dark_only_defects_are_caught(browser, site):
    """A defect of the dark scheme alone (here: line numbers and body text hardly visible in
    slate) is reported by the dark visit: axe-core's contrast rule for the text, the line-
    number check for the CSS-drawn numbers; and line numbers too small to tap, by the
    target-size rule the crawl turns on."""
    context = prepare(browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900}), axe_source())
    context.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = '[data-md-color-scheme=slate] .md-typeset p { color: #3a3a44 !important }'
        + ' [data-md-color-scheme=slate] .highlight code a[data-ln] { color: #2b2b33 !important; line-height: 16px !important }'
        + ' [data-md-color-scheme=slate] .highlight .n { color: #ff0000 }';
      document.head.appendChild(style);
    })""")
    recorder = Recorder(site.origin).attach(context)
    info = visit(context.new_page(), recorder, site.origin, GUIDE, axe=AXE_OPTIONS)
    context.close()
    assert info.scheme == "slate"
    found = {v["id"] for v in info.violations}
    assert {"color-contrast", "target-size"} <= found, found
    problems = line_number_problems(GUIDE, "dark", info.code)
    assert any("contrast" in p and "line number" in p for p in problems), problems
    assert any("plain-name token" in p for p in problems), problems


def test_dead_link_checker_reports_missing_pages_and_anchors():
    origin = "http://127.0.0.1:1"
    crawl = Crawl(origin, "light")
    crawl.pages["/a/"] = PageInfo("/a/", 200, ids={"top"}, links=[
        {"href": origin + "/a/#top", "raw": "#top", "text": "ok", "where": ""},
        {"href": origin + "/a/#nowhere", "raw": "#nowhere", "text": "x", "where": ""},
        {"href": origin + "/b/", "raw": "../b/", "text": "y", "where": ""},
        {"href": origin + "/missing.md", "raw": "missing.md", "text": "z", "where": ""},
    ])
    crawl.pages["/b/"] = PageInfo("/b/", 404)
    crawl.assets["/missing.md"] = 404
    problems = dead_links(crawl)
    assert len(problems) == 3 and "nowhere" in problems[0] and "/b/ answers 404" in problems[1], problems


def test_no_browser_fails_with_instructions():
    with pytest.raises(LookupError) as err:
        find_chromium(None, candidates=("/nonexistent/chromium",))
    assert "apt-get install chromium" in str(err.value) and "playwright install chromium" in str(err.value)
