"""Fixtures of the browser session (`nox -s browser`): the built site, its server, Chromium.

- `site`: the site built once per session with `mkdocs build --strict` into a temporary
  folder, with site_url pointing at the port it is then served on (127.0.0.1 only);
- `browser`: Playwright's own Chromium if installed, else the system one; no browser is a
  failure that says how to get one, never a skip;
- `new_context`: a browser context whose every request is recorded; a request to any
  other host than the site's is blocked (by the browser) and fails the test that made it;
  its pages get checks.WATCH_PAGE (search worker and page settling, observed);
- `crawl` / `crawl_dark`: every page of both languages, loaded once and checked in the
  light scheme, then in the dark one (a reader's click on the palette toggle), with
  everything the tests assert gathered during that visit (checks.visit_both); the guide
  page's screenshots are taken then too.

Environment: BROWSER_NO_STRICT=1 builds without --strict (while pages are being written).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checks import BLOCK_OTHER_HOSTS, Crawl, Recorder, crawl_site, prepare  # noqa: E402
from server import SiteServer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# Generated for reviewers, never committed (/build/ is ignored): running the gate leaves git status clean.
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    BLOCK_OTHER_HOSTS,
]
GUIDE = "/guides/sweeps/add-w-and-b-to-your-code/"
# (path, scheme) -> PNG, taken by the crawl during its visit of the page
SCREENSHOT_PAGES = {
    (("/es" if lang == "es" else "") + GUIDE, scheme): SCREENSHOTS / f"add-w-and-b-to-your-code.{lang}.{scheme}.png"
    for lang in ("en", "es") for scheme in ("light", "dark")
}
SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
NO_BROWSER = (
    "No Chromium found for the browser tests (looked for Playwright's own browser and for {paths}). "
    "Install one: `apt-get install chromium` (Debian/Ubuntu; this is what .ci/run does) "
    "or `playwright install chromium` (needs network access)."
)

# Numbers for the summary at the end of the session.
STATS: dict[str, object] = {"requests": 0, "pages": set(), "build_seconds": 0.0}


def find_chromium(own: str | None, candidates: tuple[str, ...] = SYSTEM_CHROMIUMS) -> str:
    """Playwright's own Chromium when it is installed, else the first system one found."""
    if own and Path(own).is_file():
        return own
    for path in candidates:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    raise LookupError(NO_BROWSER.format(paths=", ".join(candidates)))


def build_site(site_dir: Path, site_url: str) -> float:
    """`mkdocs build --strict` into `site_dir`; returns the seconds it took."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)]
    cmd.append("--no-strict" if os.environ.get("BROWSER_NO_STRICT") == "1" else "--strict")
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"`{' '.join(cmd[2:])}` failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return time.monotonic() - start


class Site:
    def __init__(self, root: Path, server: SiteServer):
        self.root = root
        self.server = server
        self.origin = server.origin

    def url(self, path: str = "/") -> str:
        return self.origin + path


@pytest.fixture(scope="session")
def site(tmp_path_factory, request) -> Iterator[Site]:
    server = SiteServer()  # binds the port first, so the build can use it in site_url
    root = tmp_path_factory.mktemp("site")
    STATS["build_seconds"] = build_site(root, server.origin + "/")
    server.serve(root)
    built = Site(root, server)
    if _CRAWL.get("wanted"):  # start it now: the tests that need it run last (see below)
        chromium = request.getfixturevalue("chromium_path")
        import concurrent.futures

        _CRAWL["executor"] = pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        _CRAWL["future"] = pool.submit(
            crawl_site, root, server.origin, chromium, CHROMIUM_ARGS, workers=2, screenshots=SCREENSHOT_PAGES
        )
    yield built
    if "executor" in _CRAWL:
        _CRAWL["executor"].shutdown(wait=True)
    server.close()


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def chromium_path(playwright_driver) -> str:
    try:
        own = playwright_driver.chromium.executable_path
    except Exception:  # noqa: BLE001 - no registry entry for Playwright's browser
        own = None
    try:
        return find_chromium(own)
    except LookupError as err:
        pytest.fail(str(err), pytrace=False)


@pytest.fixture(scope="session")
def browser(playwright_driver, chromium_path):
    browser = playwright_driver.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser, site) -> Iterator[Callable[..., object]]:
    """Factory of recorded contexts; at teardown, fails on any request to another host."""
    made: list[tuple[object, Recorder]] = []

    def make(color_scheme: str = "light", clipboard: bool = False, **kwargs):
        context = browser.new_context(
            base_url=site.origin, color_scheme=color_scheme, viewport={"width": 1280, "height": 900}, **kwargs
        )
        prepare(context)
        if clipboard:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin)
        recorder = Recorder(site.origin).attach(context)
        context.recorder = recorder
        made.append((context, recorder))
        return context

    yield make
    offhost = []
    for context, recorder in made:
        STATS["requests"] += len(recorder.requests)
        offhost += recorder.offhost
        context.close()
    assert not offhost, "requests to another host than the site's:\n" + "\n".join(offhost)


@pytest.fixture(scope="session")
def reader_context(browser, site):
    """One recorded context (light scheme, clipboard allowed) shared by the tests that act
    as a reader on single pages; each opens its own page (fixture `reader`). Its pages hand
    the search worker one document per language (checks.TRIM_SEARCH_INDEX)."""
    context = browser.new_context(base_url=site.origin, viewport={"width": 1280, "height": 900})
    prepare(context, trim_search_index=True)  # no test here searches (test_pages.py: search_pages)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin)
    context.recorder = Recorder(site.origin).attach(context)
    yield context
    STATS["requests"] += len(context.recorder.requests)
    context.close()


@pytest.fixture
def reader(reader_context):
    """A new page in the shared reader context; at teardown, the site's storage (tabs it
    opened, which Material remembers) is emptied, and any request it made to another host
    fails the test."""
    recorder = reader_context.recorder
    before = len(recorder.offhost)
    page = reader_context.new_page()
    yield page
    if page.url.startswith(reader_context.recorder.origin):
        page.evaluate("localStorage.clear(); sessionStorage.clear()")
    page.close()
    offhost = recorder.offhost[before:]
    assert not offhost, "requests to another host than the site's:\n" + "\n".join(offhost)


# The crawl (two browsers) starts as soon as the site is served, in the background; the
# tests that need it are moved after the others, which run meanwhile (a third browser, mostly
# waiting on pages), and then wait for it.
_CRAWL: dict[str, object] = {}
CRAWL_FIXTURES = {"crawls", "crawl", "crawl_dark"}


def _needs_crawl(item) -> bool:
    return bool(CRAWL_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)  # after -k / -m have deselected
def pytest_collection_modifyitems(session, config, items):
    """Order (stable otherwise): tests that need neither the crawl nor mike's deploy, which
    run while those two work in the background; the version test; the crawl's tests."""
    items.sort(key=lambda item: 2 if _needs_crawl(item) else 1 if item.name == MIKE_TEST else 0)


@pytest.fixture(scope="session")
def crawls(site, chromium_path) -> dict[str, Crawl]:
    """Every page of the build, in light and dark, by two browsers in parallel."""
    if "future" in _CRAWL:
        result = _CRAWL["future"].result()
    else:  # not started by `site`
        result = crawl_site(site.root, site.origin, chromium_path, CHROMIUM_ARGS, workers=2, screenshots=SCREENSHOT_PAGES)
    for crawl in result.values():
        STATS["requests"] += crawl.requests
        STATS["pages"].update(p.path for p in crawl.html_pages())
    return result


@pytest.fixture(scope="session")
def crawl(crawls) -> Crawl:
    return crawls["light"]


@pytest.fixture(scope="session")
def crawl_dark(crawls) -> Crawl:
    return crawls["dark"]


# --- mike, in the background -------------------------------------------------------------

MIKE_TEST = "test_mike_deploys_both_languages_with_a_version_selector"
_MIKE: dict[str, object] = {}


def pytest_collection_finish(session):
    """If a test needs the `mike deploy` of versions.py (the version test, the readers' tests
    of test_readers.py), start it now, in a thread: it runs while the session builds its own
    site and crawls. Note whether the crawl is needed (the `site` fixture starts it)."""
    if session.config.option.collectonly:
        return
    _CRAWL["wanted"] = any(_needs_crawl(item) for item in session.items)
    if not any("mike_deployed" in getattr(item, "fixturenames", ()) for item in session.items):
        return
    import concurrent.futures
    import tempfile

    from versions import deploy

    workdir = Path(tempfile.mkdtemp(prefix="mike-"))
    _MIKE["workdir"] = workdir
    _MIKE["executor"] = pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    _MIKE["future"] = pool.submit(deploy, workdir)


def pytest_sessionfinish(session, exitstatus):
    if "future" in _MIKE:
        _MIKE["executor"].shutdown(wait=True)
        if not _MIKE["future"].exception():
            _MIKE["future"].result()["server"].close()
        import shutil

        shutil.rmtree(_MIKE["workdir"], ignore_errors=True)


@pytest.fixture(scope="session")
def mike_deployed():
    """The background deploy's result (waits for it: it is a subprocess that ends), its
    gh-pages branch served (from the first call on, until the session ends)."""
    def deployed() -> dict:
        result = _MIKE["future"].result()
        if not result.get("serving"):
            result["server"].serve(result["tree"])
            result["serving"] = True
        return result

    return deployed


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not STATS["pages"] and not STATS["requests"]:
        return
    pages = STATS["pages"]
    es = sum(1 for p in pages if p.startswith("/es/"))
    terminalreporter.section("browser session")
    terminalreporter.write_line(
        f"site built in {STATS['build_seconds']:.1f}s; {len(pages)} pages crawled "
        f"({len(pages) - es} en, {es} es), each in light and dark; "
        f"{STATS['requests']} browser requests recorded, none to another host"
        if exitstatus == 0
        else f"{len(pages)} pages crawled; {STATS['requests']} browser requests recorded"
    )
