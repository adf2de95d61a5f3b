"""What a reader does on the pages: switch language, tabs, copy buttons, callouts, search, 404."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from checks import CALLOUT_FACTS, callout_mismatches

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
GUIDE = "/guides/sweeps/add-w-and-b-to-your-code/"


def twin(path: str) -> str:
    """The same page in the other language."""
    return path[len("/es"):] if path.startswith("/es/") else "/es" + path


def lang_of(path: str) -> str:
    return "es" if path.startswith("/es/") else "en"


# --- language switcher --------------------------------------------------------------------

def test_language_switcher_points_at_the_same_page(crawl):
    """On every page (home pages included), the selector's link to the other language is
    the same page in that language."""
    wrong = []
    for info in crawl.html_pages():
        other = "en" if lang_of(info.path) == "es" else "es"
        href = info.switcher.get(other)
        got = urlsplit(href).path if href else None
        if got != twin(info.path) or not href.startswith(crawl.origin):
            wrong.append(f"{info.path}: the {other} link of the language selector is {href}, not {twin(info.path)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", ["/", "/es/", GUIDE, "/es" + GUIDE])
def test_language_switcher_click(new_context, path):
    """Clicking it (Material's JavaScript may intercept the click) lands on the twin page."""
    page = new_context().new_page()
    other = "en" if lang_of(path) == "es" else "es"
    page.goto(path)
    page.hover(".md-header .md-select")
    with page.expect_navigation():
        page.locator(f".md-header .md-select a[hreflang={other}]").click()
    assert urlsplit(page.url).path == twin(path)
    assert page.evaluate("document.documentElement.lang") == other


# --- content tabs -------------------------------------------------------------------------

TAB_STATE = """() => [...document.querySelectorAll('.tabbed-set')].map(set => {
  const labels = [...set.querySelectorAll(':scope > .tabbed-labels > label')].map(l => l.textContent.trim());
  const inputs = [...set.querySelectorAll(':scope > input')];
  const i = inputs.findIndex(x => x.checked);
  const blocks = [...set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')];
  return {labels, selected: labels[i], visible: blocks.map(b => b.offsetParent !== null)};
})"""


def unlinked_tabs(states: list[dict], label: str) -> list[str]:
    """Tab sets that offer `label` but do not show it (content.tabs.link should have)."""
    return [
        f"tab set {i}: shows {s['selected']!r}, not {label!r}"
        for i, s in enumerate(states)
        if label in s["labels"] and (s["selected"] != label or not s["visible"][s["labels"].index(label)])
    ]


def test_tabs_switch_link_and_persist(crawl, new_context):
    pages_with_tabs = [p.path for p in crawl.html_pages() if any("__tabbed_" in i for i in p.ids)]
    assert pages_with_tabs, "no page has content tabs"
    context = new_context()
    page = context.new_page()
    problems = []
    for path in pages_with_tabs:
        page.goto(path)
        states = page.evaluate(TAB_STATE)
        target = next((l for s in states for l in s["labels"] if l != s["selected"]), None)
        if target is None:
            continue
        page.locator(".tabbed-labels > label", has_text=target).first.click()
        problems += [f"{path}: after clicking {target!r}: {p}" for p in unlinked_tabs(page.evaluate(TAB_STATE), target)]
        # persisted (localStorage): another visit, here a reload, opens the same tab
        page.reload()
        problems += [f"{path}: after reload: {p}" for p in unlinked_tabs(page.evaluate(TAB_STATE), target)]
        # and put it back for the next page
        first = states[0]["labels"][0]
        page.locator(".tabbed-labels > label", has_text=first).first.click()
    assert not problems, "\n".join(problems)


def test_unlinked_tabs_are_reported():
    states = [
        {"labels": ["SDK", "CLI"], "selected": "CLI", "visible": [False, True]},
        {"labels": ["SDK", "CLI"], "selected": "SDK", "visible": [True, False]},
        {"labels": ["A", "B"], "selected": "A", "visible": [True, False]},
    ]
    assert unlinked_tabs(states, "CLI") == ["tab set 1: shows 'SDK', not 'CLI'"]


# --- copy buttons -------------------------------------------------------------------------

LISTINGS = """() => [...document.querySelectorAll('div.listing')].map(d => ({
  id: d.id,
  downloads: [...d.querySelectorAll('a.listing-download')].map(a => a.getAttribute('href')),
  download_urls: [...d.querySelectorAll('a.listing-download')].map(a => a.href),
  buttons: d.querySelectorAll('button.md-code__button[data-md-type=copy]').length,
}))"""


def snippet_of(download_url: str) -> Path:
    path = unquote(urlsplit(download_url).path)
    assert path.startswith("/downloads/"), download_url
    return SNIPPETS / path[len("/downloads/"):]


def activate_tab_of(page, selector: str) -> None:
    """If `selector` is inside a content tab that is not shown, click that tab's label."""
    page.evaluate(
        """(sel) => {
          let el = document.querySelector(sel);
          while (el) {
            const block = el.closest('.tabbed-block');
            if (!block) return;
            const set = block.closest('.tabbed-set');
            const i = [...block.parentElement.children].indexOf(block);
            const input = set.querySelectorAll(':scope > input')[i];
            if (!input.checked) set.querySelectorAll(':scope > .tabbed-labels > label')[i].click();
            el = set.parentElement;
          }
        }""",
        selector,
    )


def copy_with_button(page, listing_id: str) -> bytes:
    """Click the copy button of listing `listing_id`; what lands on the clipboard."""
    activate_tab_of(page, f"#{listing_id}")
    page.evaluate("navigator.clipboard.writeText('')")
    button = page.locator(f"#{listing_id} button.md-code__button[data-md-type=copy]")
    button.scroll_into_view_if_needed()
    button.hover()
    button.click(timeout=5000)
    return page.evaluate("navigator.clipboard.readText()").encode("utf-8")


def clipboard_mismatch(got: bytes, expected: bytes) -> str | None:
    """None if the clipboard holds exactly the file's bytes, else what differs."""
    if got == expected:
        return None
    first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
    return f"clipboard has {len(got)} bytes, the file {len(expected)} (first difference at byte {first})"


def test_copy_button_puts_the_snippet_file_on_the_clipboard(crawl, new_context):
    """For every listing of every page: the copy button gives exactly the file's bytes,
    final newline included (docs/assets/javascripts/listings.js)."""
    context = new_context(clipboard=True)
    page = context.new_page()
    checked, problems = 0, []
    for info in crawl.html_pages():
        if not any(i.startswith("listing-") for i in info.ids):
            continue
        page.goto(info.path)
        page.wait_for_selector("button.md-code__button[data-md-type=copy]", state="attached")
        for listing in page.evaluate(LISTINGS):
            where = f"{info.path}#{listing['id']}"
            if listing["buttons"] != 1 or not listing["download_urls"]:
                problems.append(f"{where}: {listing['buttons']} copy buttons, downloads {listing['downloads']}")
                continue
            expected = snippet_of(listing["download_urls"][0]).read_bytes()
            got = copy_with_button(page, listing["id"])
            checked += 1
            mismatch = clipboard_mismatch(got, expected)
            if mismatch:
                problems.append(f"{where}: {mismatch}; {listing['downloads'][0]}")
    assert checked > 0, "no listing found on any page"
    assert not problems, f"{len(problems)} of {checked} copy buttons:\n" + "\n".join(problems)


def test_copy_checker_reports_any_difference():
    assert clipboard_mismatch(b"a\nb\n", b"a\nb\n") is None
    # the one byte Material's own copy button drops
    assert clipboard_mismatch(b"a\nb", b"a\nb\n") == "clipboard has 3 bytes, the file 4 (first difference at byte 3)"
    assert clipboard_mismatch(b"a\nb\n", b"a\nb\n\n") is not None
    assert clipboard_mismatch(b"a\r\nb\n", b"a\nb\n") is not None
    assert clipboard_mismatch(b"a\tb\n", b"a    b\n") is not None


COPY_PAGE = "/guides/sweeps/define-sweep-configuration/"


@pytest.mark.parametrize(
    "text",
    ["a = 1\nb = 2\n", "a = 1\nb = 2", "a = 1\nb = 2\n\n\n", "a = 1\nb\t= 'é' & \"<2>\"  \n"],
    ids=["one-newline", "no-newline", "three-newlines", "tab-quotes-trailing-spaces"],
)
def test_copy_button_copies_the_listing_text_as_it_is(new_context, text):
    """Whatever a file ends with (no newline, one, several), the copy button copies the
    listing's `data-listing-text` verbatim, and Material still says so. (Not CRLF: Material's
    clipboard.js copies through a <textarea>, whose value turns CRLF into LF.)"""
    page = new_context(clipboard=True).new_page()
    page.goto(COPY_PAGE)
    page.wait_for_selector("[data-listing-text] button.md-code__button[data-md-type=copy]", state="attached")
    listing_id = page.evaluate(
        "(t) => { const d = document.querySelector('div.listing[data-listing-text]');"
        " d.setAttribute('data-listing-text', t); return d.id }",
        text,
    )
    assert clipboard_mismatch(copy_with_button(page, listing_id), text.encode("utf-8")) is None
    page.wait_for_selector(".md-dialog.md-dialog--active", timeout=5000)
    assert "Copied to clipboard" in page.inner_text(".md-dialog")


def test_copy_checker_catches_materials_own_copy(new_context):
    """Without the file's text on the listing, Material's copy drops the final newline,
    and the checker of the test above says so."""
    page = new_context(clipboard=True).new_page()
    page.goto(COPY_PAGE)
    page.wait_for_selector("[data-listing-text] button.md-code__button[data-md-type=copy]", state="attached")
    listing_id, text = page.evaluate(
        "() => { const d = document.querySelector('div.listing[data-listing-text]');"
        " const t = d.getAttribute('data-listing-text'); d.removeAttribute('data-listing-text'); return [d.id, t] }"
    )
    assert text.endswith("\n")
    got = copy_with_button(page, listing_id)
    assert got == text.rstrip().encode("utf-8")
    assert clipboard_mismatch(got, text.encode("utf-8")) is not None


# --- callouts and highlighted lines -------------------------------------------------------

def test_highlighted_lines_are_the_lines_callouts_name(crawl, new_context):
    page = new_context().new_page()
    problems, blocks = [], 0
    for info in crawl.html_pages():
        if not any(i.startswith("__codelineno-") for i in info.ids):
            continue
        page.goto(info.path)
        facts = page.evaluate(CALLOUT_FACTS)
        blocks += len(facts["blocks"])
        problems += callout_mismatches(info.path, facts)
    assert blocks > 0
    assert not problems, "\n".join(problems)


def test_callout_checker_reports_a_line_without_callout(new_context):
    page = new_context().new_page()
    page.set_content(
        """<p>Line <a class="callout" href="#__codelineno-0-2" data-line="2">2</a> and
        <a class="callout" href="#__codelineno-0-4" data-line="4">4</a>–<a class="callout" href="#__codelineno-0-5" data-line="5">5</a>.</p>
        <pre><span id="__span-0-1"><a id="__codelineno-0-1"></a>a</span>
        <span id="__span-0-2"><a id="__codelineno-0-2"></a><span class="hll">b</span></span>
        <span id="__span-0-3"><a id="__codelineno-0-3"></a><span class="hll">c</span></span>
        <span id="__span-0-4"><a id="__codelineno-0-4"></a><span class="hll">d</span></span>
        <span id="__span-0-5"><a id="__codelineno-0-5"></a>e</span></pre>"""
    )
    problems = callout_mismatches("fixture", page.evaluate(CALLOUT_FACTS))
    assert problems == ["fixture: code block 0: highlighted but named by no callout: [3]; named by a callout but not highlighted: [5]"]


def test_following_a_callout_reaches_its_line(crawl, new_context):
    page = new_context().new_page()
    problems, followed = [], 0
    for info in crawl.html_pages():
        if not any(i.startswith("__codelineno-") for i in info.ids):
            continue
        page.goto(info.path)
        hrefs = page.evaluate("[...document.querySelectorAll('a.callout')].map(a => a.getAttribute('href'))")
        for n, href in enumerate(hrefs):
            page.evaluate("window.scrollTo(0, 0)")
            activate_tab_of(page, f"a.callout[href='{href}']")
            page.locator("a.callout").nth(n).click()
            state = page.evaluate(
                """(href) => {
                  const line = document.getElementById(href.slice(1)).parentElement;  // span#__span-B-L
                  const r = line.getBoundingClientRect();
                  return {hash: location.hash, top: r.top, bottom: r.bottom, h: innerHeight,
                          hl: !!line.querySelector(':scope > .hll')};
                }""",
                href,
            )
            followed += 1
            if state["hash"] != href or state["top"] < 0 or state["bottom"] > state["h"] or not state["hl"]:
                problems.append(f"{info.path}: callout #{n} ({href}) -> {state}")
    assert followed > 0
    assert not problems, "\n".join(problems)


# --- search -------------------------------------------------------------------------------

# Material's search runs in a web worker: the page posts it the index (message type 0), the
# worker answers type 1 ("ready") once lunr has built it, then answers each query (type 2)
# with its results (type 3). This script, installed before any of the page's own, wraps
# `Worker` so that the test sees those messages instead of guessing how long they take.
WATCH_SEARCH_WORKER = """(() => {
  if (window.__search) return;  // installed once per document
  const Native = window.Worker;
  window.__search = {ready: false, sent: 0, query: null, results: 0, items: -1};
  window.Worker = class extends Native {
    postMessage(msg, ...rest) {
      if (msg && msg.type === 2) { window.__search.sent++; window.__search.query = msg.data; }
      return super.postMessage(msg, ...rest);
    }
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const msg = event.data || {};
        if (msg.type === 1) window.__search.ready = true;
        if (msg.type === 3) { window.__search.items = msg.data.items.length; window.__search.results++; }
      });
    }
  };
})()"""

# The only remaining timeout: building the en+es index with lunr takes well under a second
# on an idle machine but many seconds when the 2 shared cores are saturated by other
# sessions; 120 s is far beyond any wait seen, so reaching it means the worker never
# answered (a real failure), not a slow machine.
SEARCH_WORKER_TIMEOUT_MS = 120_000
RESULTS_SHOWN = """(n) => {
  const shown = document.querySelectorAll('.md-search-result__item').length;
  return n === 0 ? shown === 0 : shown > 0;
}"""


def open_for_search(page, path: str) -> None:
    """Go to `path` with the search worker watched (see WATCH_SEARCH_WORKER)."""
    page.add_init_script(WATCH_SEARCH_WORKER)
    page.goto(path)


def search(page, query: str) -> list[str]:
    """Type `query` into Material's search box as a reader does, once the index is ready;
    the result paths in the order shown (empty: none found).

    Waits for observable states only: the worker's "ready" message, then its answer to
    every query sent, the last of them being `query`, then the list rendered."""
    page.wait_for_function("window.__search && window.__search.ready", timeout=SEARCH_WORKER_TIMEOUT_MS)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query)
    # the worker answers queries in order: all answered and the last one sent is `query`
    page.wait_for_function(
        "(q) => window.__search.query === q && window.__search.results === window.__search.sent",
        arg=query, timeout=SEARCH_WORKER_TIMEOUT_MS,
    )
    page.wait_for_function(RESULTS_SHOWN, arg=page.evaluate("window.__search.items"), timeout=SEARCH_WORKER_TIMEOUT_MS)
    return page.evaluate(
        "[...document.querySelectorAll('.md-search-result__item > a')].map(a => new URL(a.href).pathname)"
    )


def test_spanish_query_finds_the_spanish_page(new_context, site):
    page = new_context().new_page()
    open_for_search(page, "/es/")
    found = search(page, "barrido")
    assert found, "no result for 'barrido' on /es/"
    assert all(p.startswith("/es/") for p in found), f"results outside /es/: {found}"
    assert "/es" + GUIDE in found or any(p.startswith("/es/guides/") for p in found), found


@pytest.mark.parametrize(
    "query, lang, expected",
    [
        ("configuracion", "es", "/es/guides/sweeps/define-sweep-configuration/"),
        ("configuración", "es", "/es/guides/sweeps/define-sweep-configuration/"),
        ("parametros", "es", None),
        ("parámetros", "es", None),
        ("tamano de lote", "es", None),
        ("tamaño de lote", "es", None),
        ("wandb.agent", "en", "/ref/python/agent/"),
        ("wandb.agent", "es", "/es/ref/python/agent/"),
        ("run_cap", "en", "/guides/sweeps/define-sweep-configuration/"),
        ("run_cap", "es", "/es/guides/sweeps/define-sweep-configuration/"),
    ],
)
def test_search_forgives_accents_stays_in_language_and_finds_code(new_context, query, lang, expected):
    """As a reader types: an unaccented query finds the accented words (docskit/search.py
    adds their folded forms to the index), an accented one still does; every result is in
    the page's language (tools/theme/main.html); an API name finds its page first."""
    page = new_context().new_page()
    open_for_search(page, "/es/" if lang == "es" else "/")
    found = search(page, query)
    assert found, f"no result for {query!r} on the {lang} site"
    other = [p for p in found if p.startswith("/es/") != (lang == "es")]
    assert not other, f"{query!r} ({lang}): results in the other language: {other}"
    if expected:
        assert found[0] == expected, f"{query!r} ({lang}): first result {found[0]}, not {expected}; all: {found}"


# --- 404 ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "path, lang, heading",
    [("/no-such-page/", "en", "Not found"), ("/es/no-existe/", "es", "Página no encontrada"),
     ("/es/guides/sweeps/no-existe/", "es", "Página no encontrada")],
)
def test_missing_page_gives_a_404_in_its_language(new_context, path, lang, heading):
    page = new_context().new_page()
    response = page.goto(path)
    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == lang
    assert heading in page.locator("article h1").inner_text()
    # the 404 page is styled: its stylesheet loaded from the site root, whatever the depth
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
