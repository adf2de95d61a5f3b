"""Screenshots for reviewers, versions with mike, and the checkers' own negative tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks import (
    AXE_OPTIONS, CODE_FACTS, INTERACT, OPEN_DETAILS, SWITCH_SCHEME, SWITCH_TIMEOUT_MS, Crawl, PageInfo, Recorder, axe_source, dead_links,
    follow_problems, line_number_problems, prepare, visit, visit_both,
)
from conftest import SCREENSHOT_PAGES, find_chromium
from versions import VERSION

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

def test_mike_deploys_both_languages_with_a_version_selector(mike_deployed, browser):
    """`mike deploy` of a site with this project's configuration into a gh-pages branch of a
    throwaway repository (versions.py, started in the background at the start of the
    session), then the browser."""
    deployed = mike_deployed()
    files, versions, server = deployed["files"], deployed["versions"], deployed["server"]
    for needed in (f"{VERSION}/index.html", f"{VERSION}/es/index.html", "versions.json", "index.html"):
        assert needed in files, f"gh-pages lacks {needed}"
    assert versions[0]["version"] == VERSION and "latest" in versions[0]["aliases"], versions
    context = prepare(browser.new_context())
    recorder = Recorder(server.origin).attach(context)
    page = context.new_page()
    for path, lang in ((f"/{VERSION}/", "en"), (f"/{VERSION}/es/", "es"), ("/latest/es/", "es")):
        response = page.goto(server.origin + path)
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.lang") == lang, path
        # Material fetches versions.json after `load` and then draws the selector
        page.wait_for_selector(".md-version__current", timeout=VERSION_SELECTOR_TIMEOUT_MS)
        assert VERSION in page.locator(".md-version__current").inner_text(), path
    # the default (/) leads to latest
    page.goto(server.origin + "/")
    page.wait_for_url(f"{server.origin}/latest/**")
    context.close()
    assert not recorder.offhost, recorder.offhost


# The selector appears as soon as versions.json is fetched, well under a second on an idle
# machine; 30 s covers the most loaded machine seen, so reaching it means no selector.
VERSION_SELECTOR_TIMEOUT_MS = 30_000


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


def test_a_link_with_text_inside_code_is_reported(reader):
    """RUN_AXE leaves the code of code blocks out of axe's link-in-text-block rule, which
    matches only links with text: the line numbers there have none. A link with text put
    in a listing is reported by line_number_problems() instead."""
    page = reader
    page.goto(GUIDE)
    assert page.evaluate(f"({CODE_FACTS})().text_links") == []
    page.evaluate("""() => {
      const a = document.createElement('a');
      a.href = '#somewhere';
      a.textContent = 'wandb.init';
      document.querySelector('.highlight code').appendChild(a);
    }""")
    problems = line_number_problems(GUIDE, "light", page.evaluate(f"({CODE_FACTS})()"))
    assert len(problems) == 1 and "a link with text inside code" in problems[0] and "wandb.init" in problems[0], problems


@pytest.mark.parametrize("broken, reported", [
    ("**/search/search_index.json", "search_index.json: 404"),
    ("**/assets/javascripts/workers/search.*.js", "search worker:"),
])
def test_a_page_whose_search_does_not_start_is_reported(browser, site, broken, reported):
    """As the crawl visits a page (search index trimmed, checks.TRIM_SEARCH_INDEX): if the
    index or the search worker cannot be loaded, the page does not settle, and says why."""
    context = prepare(browser.new_context(), trim_search_index=True)
    context.route(broken, lambda route: route.fulfill(status=404, body="missing"))
    recorder = Recorder(site.origin).attach(context)
    info = visit(context.new_page(), recorder, site.origin, GUIDE, axe=None)
    context.close()
    assert reported in info.settled, info.settled


def test_dark_only_defects_are_caught(browser, site):
    """A defect of the dark scheme alone (here: body text, line numbers and a highlighted
    line's strings hardly visible in slate, line numbers too small to tap, a plain token
    coloured) is reported for the dark
    scheme by the crawl's visit (checks.visit_both), and not for the light one: axe-core's
    contrast rule for the text, the line-number check for the CSS-drawn numbers, their size
    and the plain token."""
    context = prepare(browser.new_context(viewport={"width": 1280, "height": 900}), axe_source(), trim_search_index=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin)
    context.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = '[data-md-color-scheme=slate] .md-typeset p { color: #3a3a44 !important }'
        + ' [data-md-color-scheme=slate] .highlight code a[data-ln] { color: #2b2b33 !important; line-height: 16px !important }'
        + ' [data-md-color-scheme=slate] .highlight .n { color: #ff0000 }'
        + ' [data-md-color-scheme=slate] .highlight .hll .s2 { color: #3b3b45 !important }';
      document.head.appendChild(style);
    })""")
    recorder = Recorder(site.origin).attach(context)
    light, dark = visit_both(context.new_page(), recorder, site.origin, GUIDE)
    context.close()
    assert (light.scheme, dark.scheme) == ("default", "slate")
    assert not light.violations and not line_number_problems(GUIDE, "light", light.code), light.violations
    found = {v["id"] for v in dark.violations}
    assert "color-contrast" in found, found
    problems = line_number_problems(GUIDE, "dark", dark.code)
    assert any("contrast" in p and "line number" in p for p in problems), problems
    assert any("smaller than 24 x 24 px" in p and "16.0 px high" in p for p in problems), problems
    assert any("plain-name token" in p for p in problems), problems
    assert any("code text" in p and "contrast" in p for p in problems), problems  # a string on a highlighted line


# What the dark scheme looks like to axe-core and to the line-number check: every element's
# colours, the line numbers' too, which elements are shown, and <body>'s palette attributes.
SCHEME_STATE = """() => {
  const colours = [...document.querySelectorAll('body *')].map((el) => {
    const s = getComputedStyle(el);
    return [s.color, s.backgroundColor, s.backgroundImage, s.borderTopColor, s.outlineColor, s.fill,
            s.display, s.visibility, getComputedStyle(el, '::before').color].join(' ');
  });
  return {body: [...document.body.attributes].map((a) => `${a.name}=${a.value}`).sort(),
          palette: localStorage.getItem(__md_scope.pathname + '.__palette'),
          hidden: [...document.querySelectorAll('[hidden]')].map((el) => el.outerHTML.slice(0, 80)),
          elements: colours.length, colours};
}"""


@pytest.mark.parametrize("path", [GUIDE, "/es/guides/sweeps/define-sweep-configuration/"])
def test_the_palette_toggle_gives_the_dark_load(browser, site, path):
    """The crawl checks each page's dark scheme by clicking the palette toggle on the page it
    loaded in light (checks.visit_both) instead of loading it again in a browser that prefers
    dark. Both give the same page: same <body> palette attributes, same stored palette, the
    same elements shown and hidden, and every element with the same colours."""
    states = {}
    for how in ("load", "toggle"):
        context = prepare(browser.new_context(color_scheme="dark" if how == "load" else "light",
                                              viewport={"width": 1280, "height": 900}))
        page = context.new_page()
        page.goto(site.url(path), wait_until="load")
        assert page.evaluate("window.__page.settled(120000)") == "ready"
        page.evaluate(OPEN_DETAILS)  # as the crawl's GATHER does before the toggle
        if how == "toggle":
            assert page.evaluate(SWITCH_SCHEME, {"scheme": "slate", "ms": SWITCH_TIMEOUT_MS}) is None
        states[how] = page.evaluate(SCHEME_STATE)
        context.close()
    load, toggle = states["load"], states["toggle"]
    assert "data-md-color-scheme=slate" in load["body"]
    assert (toggle["body"], toggle["palette"], toggle["hidden"]) == (load["body"], load["palette"], load["hidden"])
    assert toggle["elements"] == load["elements"]
    differ = [i for i, (a, b) in enumerate(zip(load["colours"], toggle["colours"])) if a != b]
    assert not differ, f"{len(differ)} elements differ, e.g. {load['colours'][differ[0]]!r} vs {toggle['colours'][differ[0]]!r}"


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
