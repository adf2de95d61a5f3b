"""What a reader does on the pages: switch language, tabs, copy buttons, callouts, search, 404.

The crawl (conftest.py: `crawl`) clicks every copy button, follows every callout and clicks
a tab on every page during its one visit of the page (checks.visit); the tests here assert
over what it recorded. Tests that change a page first (search, copy of a modified listing)
open their own page in a shared context (`reader`).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from checks import CALLOUT_FACTS, Recorder, callout_mismatches, follow_problems, prepare

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
def test_language_switcher_click(reader, path):
    """Clicking it (Material's JavaScript may intercept the click) lands on the twin page."""
    page = reader
    other = "en" if lang_of(path) == "es" else "es"
    page.goto(path)
    page.hover(".md-header .md-select")
    with page.expect_navigation():
        page.locator(f".md-header .md-select a[hreflang={other}]").click()
    assert urlsplit(page.url).path == twin(path)
    assert page.evaluate("document.documentElement.lang") == other


# --- content tabs -------------------------------------------------------------------------

def unlinked_tabs(states: list[dict], label: str) -> list[str]:
    """Tab sets that offer `label` but do not show it (content.tabs.link should have)."""
    return [
        f"tab set {i}: shows {s['selected']!r}, not {label!r}"
        for i, s in enumerate(states)
        if label in s["labels"] and (s["selected"] != label or not s["visible"][s["labels"].index(label)])
    ]


def test_tabs_switch_link_and_persist(crawl):
    """On every page with content tabs, the crawl clicked a tab label that was not selected
    (checks.CLICK_A_TAB): every tab set offering that label shows it (content.tabs.link),
    and after a reload, which is another visit, it still does (remembered)."""
    pages_with_tabs = [p for p in crawl.html_pages() if any("__tabbed_" in i for i in p.ids)]
    assert pages_with_tabs, "no page has content tabs"
    problems, clicked = [], 0
    for info in pages_with_tabs:
        tabs = info.tabs
        if tabs is None:
            problems.append(f"{info.path}: the crawl did not try its tabs")
            continue
        if tabs.get("problem"):
            problems.append(f"{info.path}: {tabs['problem']}")
            continue
        target = tabs["target"]
        if target is None:
            continue  # every tab set has one label only
        clicked += 1
        problems += [f"{info.path}: after clicking {target!r}: {p}" for p in unlinked_tabs(tabs["after"], target)]
        problems += [f"{info.path}: after reload: {p}" for p in unlinked_tabs(tabs["reloaded"], target)]
    assert clicked, "no page has a tab set with two labels"
    assert not problems, "\n".join(problems)


def test_unlinked_tabs_are_reported():
    states = [
        {"labels": ["SDK", "CLI"], "selected": "CLI", "visible": [False, True]},
        {"labels": ["SDK", "CLI"], "selected": "SDK", "visible": [True, False]},
        {"labels": ["A", "B"], "selected": "A", "visible": [True, False]},
    ]
    assert unlinked_tabs(states, "CLI") == ["tab set 1: shows 'SDK', not 'CLI'"]


# --- copy buttons -------------------------------------------------------------------------

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


# Material shows "Copied to clipboard" right after the copy, in the same task on an idle
# machine; 30 s covers the slowest loaded machine seen many times over.
DIALOG_TIMEOUT_MS = 30_000


def copy_with_button(page, listing_id: str) -> bytes:
    """Click (with Playwright, as a reader's pointer) the copy button of listing
    `listing_id`; what lands on the clipboard."""
    activate_tab_of(page, f"#{listing_id}")
    page.evaluate("navigator.clipboard.writeText('')")
    button = page.locator(f"#{listing_id} button.md-code__button[data-md-type=copy]")
    button.scroll_into_view_if_needed()
    button.hover()
    button.click()
    return page.evaluate("navigator.clipboard.readText()").encode("utf-8")


def clipboard_mismatch(got: bytes, expected: bytes) -> str | None:
    """None if the clipboard holds exactly the file's bytes, else what differs."""
    if got == expected:
        return None
    first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
    return f"clipboard has {len(got)} bytes, the file {len(expected)} (first difference at byte {first})"


def test_copy_button_puts_the_snippet_file_on_the_clipboard(crawl):
    """For every listing of every page: the copy button gives exactly the file's bytes,
    final newline included (the button holds it: tools/docskit/pages.py, copy_buttons). The crawl clicked each
    one and read the clipboard back (checks.INTERACT)."""
    checked, problems = 0, []
    for info in crawl.html_pages():
        for listing in info.listings:
            where = f"{info.path}#{listing['id']}"
            if listing["buttons"] != 1 or not listing["download_urls"]:
                problems.append(f"{where}: {listing['buttons']} copy buttons, downloads {listing['downloads']}")
                continue
            if listing.get("problem"):
                problems.append(f"{where}: {listing['problem']}")
                continue
            expected = snippet_of(listing["download_urls"][0]).read_bytes()
            checked += 1
            mismatch = clipboard_mismatch(listing["clipboard"].encode("utf-8"), expected)
            if mismatch:
                problems.append(f"{where}: {mismatch}; {listing['downloads'][0]}")
    listed = sum(1 for p in crawl.html_pages() if any(i.startswith("listing-") for i in p.ids))
    assert checked > 0 and listed > 0, "no listing found on any page"
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
def test_copy_button_copies_the_listing_text_as_it_is(reader, text):
    """Whatever a file ends with (no newline, one, several), the copy button copies the
    `data-clipboard-text` it holds verbatim, and Material still says so. (Not CRLF: Material's
    clipboard.js copies through a <textarea>, whose value turns CRLF into LF.)"""
    page = reader
    page.goto(COPY_PAGE)
    listing_id = page.evaluate(
        "(t) => { const b = document.querySelector('div.listing button.md-code__button[data-clipboard-text]');"
        " b.setAttribute('data-clipboard-text', t); return b.closest('div.listing').id }",
        text,
    )
    assert clipboard_mismatch(copy_with_button(page, listing_id), text.encode("utf-8")) is None
    page.wait_for_selector(".md-dialog.md-dialog--active", timeout=DIALOG_TIMEOUT_MS)
    assert "Copied to clipboard" in page.inner_text(".md-dialog")


def test_copy_checker_catches_materials_own_copy(reader):
    """Had the button pointed at the code, as Material's own buttons do, instead of holding
    the file's text, the copy would drop the final newline, and the checker says so."""
    page = reader
    page.goto(COPY_PAGE)
    listing_id, text = page.evaluate(
        "() => { const b = document.querySelector('div.listing button.md-code__button[data-clipboard-text]');"
        " const t = b.getAttribute('data-clipboard-text'); b.removeAttribute('data-clipboard-text');"
        " b.setAttribute('data-clipboard-target', '#' + b.closest('pre').id + ' > code');"
        " return [b.closest('div.listing').id, t] }"
    )
    assert text.endswith("\n")
    got = copy_with_button(page, listing_id)
    assert got == text.rstrip().encode("utf-8")
    assert clipboard_mismatch(got, text.encode("utf-8")) is not None


# --- callouts and highlighted lines -------------------------------------------------------

def test_highlighted_lines_are_the_lines_callouts_name(crawl):
    problems, blocks = [], 0
    for info in crawl.html_pages():
        blocks += len(info.callouts.get("blocks", {}))
        problems += callout_mismatches(info.path, info.callouts)
    assert blocks > 0
    assert not problems, "\n".join(problems)


def test_callout_checker_reports_a_line_without_callout(reader):
    page = reader
    page.set_content(
        """<p>Line <a class="callout" href="#__codelineno-0-2" data-line="2">2</a> and
        <a class="callout" href="#__codelineno-0-4" data-line="4">4</a>–<a class="callout" href="#__codelineno-0-5" data-line="5">5</a>.</p>
        <pre><code class="lines"><span><a id="__codelineno-0-1" href="#__codelineno-0-1" data-ln="1"></a>a
</span><span class="hll"><a id="__codelineno-0-2" href="#__codelineno-0-2" data-ln="2"></a>b
</span><span class="hll"><a id="__codelineno-0-3" href="#__codelineno-0-3" data-ln="3"></a>c
</span><span class="hll"><a id="__codelineno-0-4" href="#__codelineno-0-4" data-ln="4"></a>d
</span><span><a id="__codelineno-0-5" href="#__codelineno-0-5" data-ln="5"></a>e
</span></code></pre>"""
    )
    problems = callout_mismatches("fixture", page.evaluate(CALLOUT_FACTS))
    assert problems == ["fixture: code block 0: highlighted but named by no callout: [3]; named by a callout but not highlighted: [5]"]


def test_following_a_callout_reaches_its_line(crawl):
    """The crawl clicked every callout of every page, from the top of the page (checks.INTERACT):
    the address names the line, the line is in view and highlighted."""
    problems, followed = [], 0
    for info in crawl.html_pages():
        followed += len(info.follows)
        problems += follow_problems(info.path, info.follows)
    assert followed > 0
    assert not problems, "\n".join(problems)


# --- search -------------------------------------------------------------------------------

# Material's search worker, observed by checks.WATCH_PAGE (installed in every page of the
# reader context). The only remaining timeout: building the en+es index with lunr takes well
# under a second on an idle machine but many seconds when the 2 shared cores are saturated by
# other sessions; 120 s is far beyond any wait seen, so reaching it means the worker never
# answered (a real failure), not a slow machine.
SEARCH_WORKER_TIMEOUT_MS = 120_000
# The list on screen is the worker's last answer: as many of its pages as Material has
# rendered so far (it adds more as the reader scrolls), in its order; none if it found none.
RESULTS_SHOWN = """() => {
  const shown = [...document.querySelectorAll('.md-search-result__item')].map(li => new URL(li.querySelector('a').href).pathname);
  const answer = window.__search.pages;
  return answer.length === 0 ? shown.length === 0
    : shown.length > 0 && shown.every((href, i) => href === answer[i]);
}"""


@pytest.fixture(scope="module")
def search_pages(browser, site):
    """One page per language (/ and /es/), opened once with the whole search index: lunr
    builds each index once, and every query of the tests below is typed into the same search
    box, as a reader types one after another."""
    context = prepare(browser.new_context(base_url=site.origin, viewport={"width": 1280, "height": 900}))
    recorder = Recorder(site.origin).attach(context)
    pages: dict[str, object] = {}

    def open_page(lang: str):
        if lang not in pages:
            page = context.new_page()
            page.goto("/es/" if lang == "es" else "/")
            pages[lang] = page
        return pages[lang]

    yield open_page
    context.close()
    assert not recorder.offhost, recorder.offhost


def search(page, query: str) -> list[str]:
    """Type `query` into Material's search box as a reader does, once the index is ready;
    the result paths in the order shown (empty: none found).

    Waits for observable states only: the worker's "ready" message, then its answer to
    every query sent, the last of them being `query`, then that answer on the screen (so a
    list left by the previous query of the same page is never read)."""
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
    page.wait_for_function(RESULTS_SHOWN, timeout=SEARCH_WORKER_TIMEOUT_MS)
    return page.evaluate(
        "[...document.querySelectorAll('.md-search-result__item > a')].map(a => new URL(a.href).pathname)"
    )


def test_spanish_query_finds_the_spanish_page(search_pages):
    found = search(search_pages("es"), "barrido")
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
def test_search_forgives_accents_stays_in_language_and_finds_code(search_pages, query, lang, expected):
    """As a reader types: an unaccented query finds the accented words (docskit/search.py
    adds their folded forms to the index), an accented one still does; every result is in
    the page's language (tools/theme/main.html); an API name finds its page first."""
    found = search(search_pages(lang), query)
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
def test_missing_page_gives_a_404_in_its_language(reader, path, lang, heading):
    page = reader
    response = page.goto(path)
    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == lang
    assert heading in page.locator("article h1").inner_text()
    # the 404 page is styled: its stylesheet loaded from the site root, whatever the depth
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
