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

from checks import Recorder, dead_links, Crawl, PageInfo
from conftest import NO_BROWSER, SCREENSHOTS, CHROMIUM_ARGS, find_chromium
from server import SiteServer

ROOT = Path(__file__).resolve().parents[2]
GUIDE = "/guides/sweeps/add-w-and-b-to-your-code/"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_guide_page(new_context, lang, scheme):
    """Full-page PNGs in build/screenshots/ (ignored by git), so a reviewer sees the page unserved."""
    page = new_context(color_scheme=scheme).new_page()
    page.goto(("/es" if lang == "es" else "") + GUIDE)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / f"add-w-and-b-to-your-code.{lang}.{scheme}.png"
    page.screenshot(path=str(out), full_page=True)
    assert out.stat().st_size > 10_000


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
    context = browser.new_context()
    recorder = Recorder(site.origin).attach(context)
    page = context.new_page()
    page.goto(site.url("/"))
    page.set_content('<img src="http://example.com/tracker.png"><script src="https://cdn.example.org/x.js"></script>')
    page.wait_for_timeout(300)
    context.close()
    assert any("example.com/tracker.png" in r for r in recorder.offhost), recorder.offhost
    assert any("cdn.example.org/x.js" in r for r in recorder.offhost), recorder.offhost


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
