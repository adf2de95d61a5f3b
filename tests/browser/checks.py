"""The checkers of the browser tests, kept apart from the tests so that negative tests can
feed them a broken page and see them report it.

- Recorder: every request a browser context makes, and every console error; a request to
  another host than the site's is reported (and never sent: BLOCK_OTHER_HOSTS);
- crawl_site / visit: every page of the build, once per colour scheme, gathering in a few
  round trips what the tests assert (GATHER: links, ids, highlighted lines, axe-core; and in
  the light scheme INTERACT: every copy button read back, every callout followed, a tab);
- dead_links: internal links and #fragments that lead nowhere;
- callout_mismatches / follow_problems: highlighted lines versus the lines callouts name,
  and callouts that do not bring their line into view;
- serious_violations: axe-core's serious and critical findings;
- line_number_problems: contrast of the CSS-drawn line numbers, which axe cannot see.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

NETWORK_SCHEMES = {"http", "https", "ws", "wss", "ftp"}


# Chromium resolves no host name but the site's, 127.0.0.1 (IP literals included): a request
# to another host fails inside the browser (net::ERR_NAME_NOT_RESOLVED) and never leaves the
# machine, and the Recorder, which sees every request, reports it. (A Playwright route on
# every request did the same with a round trip to Python per request.)
BLOCK_OTHER_HOSTS = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


class Recorder:
    """Records the requests and console errors of every page of a browser context, and
    reports any request to another host than the site's (the browser, started with
    BLOCK_OTHER_HOSTS, never sends it)."""

    def __init__(self, origin: str):
        self.origin = origin
        self.host = urlsplit(origin).netloc
        self.requests: list[str] = []
        self.offhost: list[str] = []
        self.failed: list[str] = []  # other-host requests, as the browser failed them
        self.console_errors: list[tuple[str, str]] = []  # (page url, message)

    def attach(self, context) -> "Recorder":
        context.on("request", self._on_request)
        context.on("requestfailed", self._on_failed)
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)
        return self

    def _on_request(self, request) -> None:
        url = request.url
        self.requests.append(url)
        if self.is_offhost(url):
            self.offhost.append(f"{_frame_url(request)} -> {url}")

    def _on_failed(self, request) -> None:
        if self.is_offhost(request.url):
            self.failed.append(f"{request.url}: {request.failure}")

    def is_offhost(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in NETWORK_SCHEMES and parts.netloc != self.host

    def _watch(self, page) -> None:
        def on_console(msg):
            if msg.type == "error":
                where = msg.location.get("url", "") if msg.location else ""
                self.console_errors.append((page.url, f"{msg.text} ({where})" if where else msg.text))

        page.on("console", on_console)
        page.on("pageerror", lambda err: self.console_errors.append((page.url, f"uncaught: {err}")))


def _frame_url(request) -> str:
    try:
        return request.frame.url
    except Exception:  # noqa: BLE001 - a worker's request has no frame
        return "?"


# --- in-page checks -----------------------------------------------------------------------
#
# Each check is a JavaScript function that runs inside the page, so that a page is loaded
# once per colour scheme and everything the tests assert is gathered in a few round trips.

PAGE_FACTS = """() => {
  const ids = new Set();
  for (const el of document.querySelectorAll('[id]')) ids.add(el.id);
  for (const el of document.querySelectorAll('a[name]')) ids.add(el.getAttribute('name'));
  const links = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const raw = a.getAttribute('href');
    links.push({href: a.href, raw, text: (a.textContent || '').trim().slice(0, 60),
                where: a.closest('[id]') ? '#' + a.closest('[id]').id : a.closest('header,nav,footer,main,article')?.tagName.toLowerCase() || ''});
  }
  const switcher = {};
  for (const a of document.querySelectorAll('.md-header .md-select a[hreflang]')) switcher[a.hreflang] = a.href;
  return {ids: [...ids], links, switcher, lang: document.documentElement.lang,
          scheme: document.body.getAttribute('data-md-color-scheme'),
          title: document.title};
}"""

CALLOUT_FACTS = """() => {
  // Every code block with line anchors: its highlighted lines and the callouts naming it.
  // A line is <span><a id="__codelineno-B-L" ...></a>...</span>, <span class="hll"> if
  // highlighted (tools/docskit/pages.py: slim_code_blocks).
  const blocks = {};
  for (const a of document.querySelectorAll('a[id^="__codelineno-"]')) {
    const m = a.id.match(/^__codelineno-(\\d+)-(\\d+)$/);
    if (!m) continue;
    const [, b, l] = m;
    blocks[b] = blocks[b] || {highlighted: [], named: [], lines: 0};
    blocks[b].lines = Math.max(blocks[b].lines, +l);
    if (a.parentElement && a.parentElement.classList.contains('hll')) blocks[b].highlighted.push(+l);
  }
  const callouts = [...document.querySelectorAll('a.callout')];
  const bad = [];
  for (let i = 0; i < callouts.length; i++) {
    const c = callouts[i];
    const m = (c.getAttribute('href') || '').match(/^#__codelineno-(\\d+)-(\\d+)$/);
    if (!m || +m[2] !== +c.dataset.line || c.textContent.trim() !== c.dataset.line) {
      bad.push(c.outerHTML); continue;
    }
    let first = +m[2], last = first;
    // a range is rendered as two callouts joined by an en dash: <a>37</a>–<a>39</a>
    const dash = c.nextSibling, next = callouts[i + 1];
    if (dash && dash.nodeType === 3 && dash.textContent === '\\u2013' && dash.nextSibling === next) {
      const n = (next.getAttribute('href') || '').match(/^#__codelineno-(\\d+)-(\\d+)$/);
      if (n && n[1] === m[1]) { last = +n[2]; i++; }
    }
    blocks[m[1]] = blocks[m[1]] || {highlighted: [], named: [], lines: 0};
    for (let l = first; l <= last; l++) blocks[m[1]].named.push(l);
  }
  return {blocks, bad};
}"""

CODE_FACTS = """() => {
  // What axe-core cannot see in code blocks. (1) docskit drops the <span> of tokens that
  // look like plain text (class "n"): a probe of that class must have the code's colour.
  // (2) Line numbers are drawn by CSS (a ::before), which axe's contrast check skips: the
  // colours of every distinct kind of shown line number, for line_number_problems(). (3)
  // Their size: axe's target-size rule counts a link inside a line of text as inline, so
  // it does not measure them (nor does Lighthouse); line_number_problems() does.
  const out = {plain: null, numbers: []};
  const code = document.querySelector('.highlight code');
  if (code) {
    const probe = document.createElement('span');
    probe.className = 'n';
    probe.textContent = 'x';
    code.appendChild(probe);
    out.plain = {token: getComputedStyle(probe).color, code: getComputedStyle(code).color};
    probe.remove();
  }
  const seen = new Map();
  out.smallest = null;  // the narrowest and the shortest line-number link shown, in CSS px
  for (const a of document.querySelectorAll('.highlight code a[data-ln]')) {
    if (!a.getClientRects().length) continue;  // in a tab that is not shown, as axe skips it
    const box = a.getBoundingClientRect();
    if (!out.smallest) out.smallest = {width: box.width, height: box.height, wide: a.id, high: a.id};
    if (box.width < out.smallest.width) Object.assign(out.smallest, {width: box.width, wide: a.id});
    if (box.height < out.smallest.height) Object.assign(out.smallest, {height: box.height, high: a.id});
    const style = getComputedStyle(a), number = getComputedStyle(a, '::before');
    const kind = {color: number.color, background: style.backgroundColor, image: style.backgroundImage,
                  text: number.content, example: a.id};
    const key = [kind.color, kind.background, kind.image].join('|');
    if (!seen.has(key)) seen.set(key, kind);
  }
  out.numbers = [...seen.values()];
  // (4) The code's text, which RUN_AXE leaves out of axe's contrast rule: each distinct
  // colour of shown text with the backgrounds under it, from its element up to the first
  // opaque one (a highlighted line's tint over the code's background...).
  const texts = new Map(), styled = new Map();
  for (const code of document.querySelectorAll('.highlight code')) {
    const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const el = node.parentElement;
      if (!/\\S/.test(node.data) || styled.has(el)) continue;
      styled.set(el, true);
      if (!el.getClientRects().length) continue;  // in a tab that is not shown
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (/^rgba\\(.*, 0\\)$/.test(bg)) continue;
        layers.push(bg);
        if (!bg.startsWith('rgba')) break;
      }
      const kind = {color: getComputedStyle(el).color, layers, example: node.data.trim().slice(0, 40)};
      const key = [kind.color, ...layers].join('|');
      if (!texts.has(key)) texts.set(key, kind);
    }
  }
  out.texts = [...texts.values()];
  // (5) Links with text inside code, which RUN_AXE's link-in-text-block run would not see:
  // there must be none (line numbers have no text of their own). An element's innerText,
  // which axe reads, is made of its text nodes (textContent) and whitespace.
  out.text_links = [...document.querySelectorAll('.highlight code a')]
    .filter((a) => /\\S/.test(a.textContent)).map((a) => a.outerHTML.slice(0, 120));
  return out;
}"""

TAB_STATE = """() => [...document.querySelectorAll('.tabbed-set')].map(set => {
  const labels = [...set.querySelectorAll(':scope > .tabbed-labels > label')].map(l => l.textContent.trim());
  const inputs = [...set.querySelectorAll(':scope > input')];
  const i = inputs.findIndex(x => x.checked);
  const blocks = [...set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')];
  return {labels, selected: labels[i], visible: blocks.map(b => b.offsetParent !== null)};
})"""

# Shared by the scripts below. `clickable` is what Playwright checks before it clicks
# (actionability): the element is attached, visible and enabled, and once scrolled into
# view, the element at its centre is the element itself or inside it (nothing covers it).
# The scripts then click with `el.click()`, the same click event a reader's click sends,
# without a round trip per click (test_artifacts.py shows these checks catch what
# Playwright's click would refuse).
HELPERS = """
const describe = (el) => !el ? 'nothing' : el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
const clickable = (el) => {
  if (!el || !el.isConnected) return 'is not attached';
  el.scrollIntoView({block: 'center', inline: 'nearest'});
  const box = el.getClientRects()[0], style = getComputedStyle(el);
  if (!box || !(box.width > 0 && box.height > 0) || style.visibility !== 'visible') return 'is not visible';
  if (el.disabled) return 'is disabled';
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return hit && (hit === el || el.contains(hit)) ? null : 'is covered by ' + describe(hit);
};
// If `el` is inside content tabs that are not shown, click their labels.
const openTabsOf = (el) => {
  while (el) {
    const block = el.closest('.tabbed-block');
    if (!block) return;
    const set = block.closest('.tabbed-set');
    const i = [...block.parentElement.children].indexOf(block);
    if (!set.querySelectorAll(':scope > input')[i].checked) set.querySelectorAll(':scope > .tabbed-labels > label')[i].click();
    el = set.parentElement;
  }
};
"""

# A reader opens the collapsed blocks (<details>, e.g. "Run this page's examples without a
# W&B account") to read them, so their content is checked open, in both schemes. Closed, it is
# not rendered, and Chromium does not restyle it when the palette toggle switches the scheme:
# it would keep the light scheme's colours until opened.
OPEN_DETAILS = "() => { document.querySelectorAll('details:not([open])').forEach((d) => { d.open = true; }); }"

# axe-core on the page, in two runs whose results are merged (the same rules as one run of
# `axe` over the whole page, at less than half its cost on pages with long listings):
# - every rule but the two whose answer depends on colours, on the whole page;
# - those two, color-contrast and link-in-text-block, on the page but the code of code
#   blocks. color-contrast would measure each of the code's thousands of tokens alone (its
#   costliest work by far): CODE_FACTS gathers the code's distinct text colours and
#   backgrounds instead, and line_number_problems() checks them. link-in-text-block applies
#   only to links with text (axe's link-in-text-block-matches: an empty innerText is not
#   matched); the only links in code are the line numbers, drawn by CSS with no text, which
#   CODE_FACTS counts (`text_links`) and line_number_problems() requires to stay so.
# - with `colourOnly` (the dark scheme, reached by the palette toggle on a page already
#   checked in light: same DOM, test_the_palette_toggle_gives_the_dark_load), the second run only.
RUN_AXE = """async (axe, colourOnly) => {
  const colours = ['color-contrast', 'link-in-text-block'];
  const coloured = await window.axe.run({exclude: [['.highlight code']]},
                                        {resultTypes: axe.resultTypes, runOnly: {type: 'rule', values: colours}});
  if (colourOnly) return {violations: coloured.violations};
  const off = Object.fromEntries(colours.map((rule) => [rule, {enabled: false}]));
  const rest = await window.axe.run(document, {...axe, rules: {...(axe.rules || {}), ...off}});
  return {violations: [...rest.violations, ...coloured.violations]};
}"""

# Facts, highlighted lines, code facts and axe-core's findings of a page (its collapsed
# blocks opened first: OPEN_DETAILS); then it waits
# until the page has settled (see WATCH_PAGE) so that late console errors are recorded.
GATHER = (
    "async ({axe, colourOnly, settleMs}) => {\n"
    f"  ({OPEN_DETAILS})();\n"
    f"  const facts = ({PAGE_FACTS})();\n"
    f"  facts.callouts = ({CALLOUT_FACTS})();\n"
    f"  facts.code = ({CODE_FACTS})();\n"
    f"  facts.axe = axe ? await ({RUN_AXE})(axe, colourOnly) : null;\n"
    "  facts.settled = await window.__page.settled(settleMs);\n"
    "  return facts;\n"
    "}"
)

# A reader's click on Material's palette toggle in the header (the label shown is the one
# for the other scheme), then the state Material reaches: the scheme on <body>, and its
# "switching" mark (transitions off for the switch) gone, so every colour is final.
SWITCH_SCHEME = (
    "async ({scheme, ms}) => {\n" + HELPERS + """
  const body = document.body;
  const done = () => body.getAttribute('data-md-color-scheme') === scheme && !body.hasAttribute('data-md-color-switching');
  if (done()) return null;
  const label = [...document.querySelectorAll('form[data-md-component=palette] label')].find(l => !l.hidden);
  const problem = clickable(label);
  if (problem) return `the palette toggle ${problem}`;
  const reached = new Promise((resolve) => {
    const watch = new MutationObserver(() => { if (done()) { watch.disconnect(); resolve(null); } });
    watch.observe(body, {attributes: true});
    setTimeout(() => { watch.disconnect(); resolve(`no ${scheme} scheme ${ms} ms after the click`); }, ms);
  });
  label.click();
  window.scrollTo(0, 0);
  const failed = done() ? null : await reached;
  document.activeElement.blur();  // the click focused the palette's radio button: as a page loaded in dark
  return failed;
}""")
# Material switches the palette within a frame or two of the click; 30 s covers any loaded
# machine, so reaching it means the toggle is broken.
SWITCH_TIMEOUT_MS = 30_000

# A reader's clicks on one tab label: the first label of any tab set that is not selected.
CLICK_A_TAB = (
    "() => {\n" + HELPERS +
    f"  const states = ({TAB_STATE})();\n"
    "  const target = states.flatMap(s => s.labels.filter(l => l !== s.selected))[0];\n"
    "  if (target === undefined) return {states, target: null};\n"
    "  const label = [...document.querySelectorAll('.tabbed-labels > label')].find(l => l.textContent.trim() === target);\n"
    "  const problem = clickable(label);\n"
    "  if (problem) return {states, target, problem: `the tab label ${target} ${problem}`};\n"
    "  label.click();\n"
    f"  return {{states, target, after: ({TAB_STATE})()}};\n"
    "}"
)

# Every copy button (read back from the clipboard) and every callout (followed), as a
# reader clicks them; then the page's storage is emptied, so that the tabs it opened are not
# remembered on the next page.
INTERACT = "async () => {\n" + HELPERS + """
  const listings = [];
  for (const d of document.querySelectorAll('div.listing')) {
    const item = {id: d.id,
      downloads: [...d.querySelectorAll('a.listing-download')].map(a => a.getAttribute('href')),
      download_urls: [...d.querySelectorAll('a.listing-download')].map(a => a.href),
      buttons: d.querySelectorAll('button.md-code__button[data-md-type=copy]').length};
    listings.push(item);
    if (item.buttons !== 1) continue;
    openTabsOf(d);
    const button = d.querySelector('button.md-code__button[data-md-type=copy]');
    const problem = clickable(button);
    if (problem) { item.problem = 'its copy button ' + problem; continue; }
    await navigator.clipboard.writeText('');
    button.click();
    item.clipboard = await navigator.clipboard.readText();
  }
  const follows = [];
  const callouts = [...document.querySelectorAll('a.callout')];
  for (let n = 0; n < callouts.length; n++) {
    const c = callouts[n], href = c.getAttribute('href');
    window.scrollTo(0, 0);
    openTabsOf(c);
    const problem = clickable(c);
    if (problem) { follows.push({n, href, problem: 'the callout ' + problem}); continue; }
    c.click();
    // A link to a fragment of the same page: the browser sets the hash and scrolls to the
    // target before click() returns (HTML: "navigate to a fragment" is synchronous).
    const target = document.getElementById(href.slice(1));
    const r = target ? target.getBoundingClientRect() : {top: NaN, bottom: NaN};
    follows.push({n, href, hash: location.hash, top: r.top, bottom: r.bottom, h: innerHeight,
                  hl: !!(target && target.parentElement.classList.contains('hll'))});
  }
  localStorage.clear();
  sessionStorage.clear();
  return {listings, follows};
}"""

# Installed in every page before the page's own scripts (an init script), with axe-core.
# Material's search runs in a web worker: the page posts it the index (message type 0), the
# worker answers type 1 ("ready") once lunr has built it, then answers each query (type 2)
# with its results (type 3). Wrapping `Worker` lets tests see those messages instead of
# guessing how long they take. `__page.settled()` resolves when the page has made every
# request it makes after `load` (Material's last one feeds that worker, so its "ready"
# says so), or as soon as one of them fails, which the tests then report.
WATCH_PAGE = """(() => {
  if (window.__search) return;  // installed once per document
  const Native = window.Worker;
  // pages: the page (path) each result of the last answer leads to, in order, as Material lists them
  window.__search = {ready: false, sent: 0, query: null, results: 0, pages: []};
  let settle, failure = null;
  const done = new Promise((resolve) => { settle = resolve; });
  const fail = (what) => { failure = failure || what; settle(failure); };
  window.__page = {
    // resolves 'ready', or what failed, or after `ms` with 'timeout'
    settled: (ms) => Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), ms))]),
  };
  window.Worker = class extends Native {
    postMessage(msg, ...rest) {
      if (msg && msg.type === 2) { window.__search.sent++; window.__search.query = msg.data; }
      if (msg && msg.type === 0 && window.__trimSearchIndex && msg.data && msg.data.docs) {
        // (the crawl: see TRIM_SEARCH_INDEX) one document per language, the rest dropped
        const es = msg.data.docs.find((d) => d.location.startsWith('es/'));
        const en = msg.data.docs.find((d) => !d.location.startsWith('es/'));
        msg.data.docs = [en, es].filter(Boolean);
      }
      return super.postMessage(msg, ...rest);
    }
    constructor(...args) {
      super(...args);
      this.addEventListener('error', (event) => fail(`search worker: ${event.message || 'failed to load'}`));
      this.addEventListener('message', (event) => {
        const msg = event.data || {};
        if (msg.type === 1) { window.__search.ready = true; settle('ready'); }
        if (msg.type === 3) {
          window.__search.pages = msg.data.items.map((group) => {
            const doc = group.find((d) => !d.location.includes('#')) || group[0];
            return new URL(doc.location, window.__md_scope).pathname;
          });
          window.__search.results++;
        }
      });
    }
  };
  // Material fetches with XMLHttpRequest (and aborts each request once done, so its status is
  // read at `load`, before Material's own listener runs).
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.addEventListener('load', () => {
      if (!(this.status >= 200 && this.status < 300)) fail(`${method} ${url}: ${this.status}`);
    });
    this.addEventListener('error', () => fail(`${method} ${url}: network error`));
    return open.call(this, method, url, ...rest);
  };
})()"""

# The crawl's pages hand Material's search worker one document per language instead of the
# whole index. Each page still fetches the index (its status is checked), starts the worker,
# which loads lunr and its languages, and builds an index with the page's language, its
# separator and pipeline: what could fail on one page and not another. Building the whole
# index is the same work on every page of a language (one file, filtered by <html lang>, which
# the crawl checks), and the search tests do it on / and /es/; done on all 80 page views, it
# cost about a fifth of the crawl's CPU time.
TRIM_SEARCH_INDEX = "window.__trimSearchIndex = true"

# The one remaining timeout of the crawl: a page's last request after `load` (the search
# index, then lunr building it in a worker) takes well under a second on an idle machine and
# several seconds when the two shared cores are saturated; 120 s is far beyond any wait
# seen, so reaching it means the page never settled (a failure the tests report).
SETTLE_TIMEOUT_MS = 120_000

# axe-core's own defaults, plus the rules that Lighthouse's accessibility audit turns on
# and that can fail a page here (serious or critical impact): tap targets of 24 x 24 px,
# tables faking a caption, data cells without header, accessible names that do not contain
# the visible label. (Lighthouse 12, core/gather/gatherers/accessibility.js.)
LIGHTHOUSE_RULES = ("target-size", "table-fake-caption", "td-has-header", "label-content-name-mismatch")
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {rule: {"enabled": True} for rule in LIGHTHOUSE_RULES}}


@dataclass
class PageInfo:
    path: str
    status: int
    lang: str = ""
    scheme: str = ""
    title: str = ""
    ids: set[str] = field(default_factory=set)
    links: list[dict] = field(default_factory=list)
    switcher: dict[str, str] = field(default_factory=dict)  # hreflang -> absolute URL
    console_errors: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)  # axe: serious and critical only
    settled: str = ""  # 'ready', or what kept the page from settling (see WATCH_PAGE)
    callouts: dict = field(default_factory=dict)  # CALLOUT_FACTS
    code: dict = field(default_factory=dict)  # CODE_FACTS
    # what a reader's clicks gave (light scheme only; see INTERACT and CLICK_A_TAB)
    listings: list[dict] = field(default_factory=list)  # each listing, its copy button's clipboard
    follows: list[dict] = field(default_factory=list)  # each callout followed
    tabs: dict | None = None  # a tab label clicked, then the page reloaded
    screenshot: str | None = None


@dataclass
class Crawl:
    origin: str
    scheme: str
    pages: dict[str, PageInfo] = field(default_factory=dict)  # path -> info
    assets: dict[str, int] = field(default_factory=dict)  # non-page internal link -> status
    requests: int = 0
    seconds: float = 0.0
    offhost: list[str] = field(default_factory=list)

    def html_pages(self) -> list[PageInfo]:
        return [p for p in self.pages.values() if p.status == 200]


def is_page_path(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return path.endswith("/") or last.endswith(".html") or "." not in last


def sitemap_paths(origin: str) -> list[str]:
    """Every <loc> and hreflang alternate of the site's sitemap.xml, as paths."""
    with urllib.request.urlopen(origin + "/sitemap.xml", timeout=10) as resp:
        tree = ET.fromstring(resp.read())
    urls = [el.text or "" for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    urls += [el.get("href", "") for el in tree.iter("{http://www.w3.org/1999/xhtml}link")]
    return sorted({urlsplit(u).path for u in urls if u})


def http_status(url: str) -> int:
    req = urllib.request.Request(url, method="HEAD")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def site_pages(root) -> list[str]:
    """Every HTML page of the build (each index.html, any other .html but the 404 pages)."""
    from pathlib import Path

    root = Path(root)
    paths = []
    for f in sorted(root.rglob("*.html")):
        rel = f.relative_to(root).as_posix()
        if f.name == "404.html" or rel.startswith(("assets/", "downloads/")):
            continue
        paths.append("/" + (rel[: -len("index.html")] if f.name == "index.html" else rel))
    return paths


def axe_source() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def prepare(context, axe_script: str | None = None, *, trim_search_index: bool = False):
    """Scripts every page of `context` gets before its own: WATCH_PAGE, and axe-core."""
    if trim_search_index:
        context.add_init_script(TRIM_SEARCH_INDEX)
    context.add_init_script(WATCH_PAGE)
    if axe_script:
        context.add_init_script(axe_script)
    return context


def visit(page, recorder: Recorder, origin: str, path: str, *, axe: dict | None = AXE_OPTIONS,
          interact: bool = False, screenshot=None) -> PageInfo:
    """Load `path` once, in the context's scheme, and gather what the tests assert: GATHER
    (facts, highlighted lines, code facts, axe-core), a full-page screenshot if asked, and
    with `interact` a tab clicked and the page reloaded (CLICK_A_TAB), then INTERACT (copy
    buttons, callouts). The page's context must be prepare()d. (The crawl uses visit_both.)"""
    before = len(recorder.console_errors)
    response = page.goto(origin + path, wait_until="load")
    info = PageInfo(path, response.status if response else 0)
    if info.status != 200:
        return info
    _gather(page, info, axe)
    _screenshot(page, info, screenshot)
    if interact:
        _interact(page, info)
    info.console_errors = [msg for _, msg in recorder.console_errors[before:]]
    return info


def _gather(page, info: PageInfo, axe: dict | None, colour_only: bool = False) -> None:
    facts = page.evaluate(GATHER, {"axe": axe, "colourOnly": colour_only, "settleMs": SETTLE_TIMEOUT_MS})
    info.lang, info.scheme, info.title = facts["lang"], facts["scheme"] or "", facts["title"]
    info.ids = set(facts["ids"])
    info.links = facts["links"]
    info.switcher = facts["switcher"]
    info.callouts, info.code, info.settled = facts["callouts"], facts["code"], facts["settled"]
    if facts["axe"] is not None:
        info.violations = serious_violations(facts["axe"])


def _interact(page, info: PageInfo) -> None:
    """A reader's clicks on a loaded page: a tab (CLICK_A_TAB; the page is reloaded once to see
    the tab remembered), then every copy button and callout (INTERACT)."""
    if any(i.startswith("__tabbed_") for i in info.ids):
        info.tabs = page.evaluate(CLICK_A_TAB)
        if info.tabs.get("after") is not None:
            page.reload(wait_until="load")  # another visit: the tab is remembered
            info.tabs["reloaded"] = page.evaluate(TAB_STATE)
    done = page.evaluate(INTERACT)
    info.listings, info.follows = done["listings"], done["follows"]


def visit_both(page, recorder: Recorder, origin: str, path: str, *, axe: dict | None = AXE_OPTIONS,
               screenshots: dict | None = None) -> tuple[PageInfo, PageInfo]:
    """Load `path` once, in the light scheme, and check it in both schemes:

    GATHER in light (facts, highlighted lines, code facts, axe-core); a reader's click on the
    palette toggle (SWITCH_SCHEME), GATHER in dark on the same page, and the click back; then,
    in light, a tab clicked and the page reloaded (CLICK_A_TAB), and INTERACT (copy buttons,
    callouts). `screenshots`: {scheme: png path}, taken right after that scheme's GATHER.

    The dark state reached by the click is the one a page loaded by a browser preferring dark
    gets (same <body> attributes, same stored palette, same computed colours, same DOM:
    test_artifacts.py, test_the_palette_toggle_gives_the_dark_load), so the page is not loaded
    a second time. The page's context must be prepare()d, and allow the clipboard.
    """
    screenshots = screenshots or {}
    before = len(recorder.console_errors)
    response = page.goto(origin + path, wait_until="load")
    light, dark = PageInfo(path, response.status if response else 0), PageInfo(path, response.status if response else 0)
    if light.status != 200:
        return light, dark
    _gather(page, light, axe)
    _screenshot(page, light, screenshots.get("light"))
    dark_from = len(recorder.console_errors)
    dark.settled = page.evaluate(SWITCH_SCHEME, {"scheme": "slate", "ms": SWITCH_TIMEOUT_MS}) or ""
    if not dark.settled:
        _gather(page, dark, axe, colour_only=True)
        _screenshot(page, dark, screenshots.get("dark"))
        back = page.evaluate(SWITCH_SCHEME, {"scheme": "default", "ms": SWITCH_TIMEOUT_MS})
        if back:
            light.settled = f"switching back to light: {back}"
    dark.console_errors = [msg for _, msg in recorder.console_errors[dark_from:]]
    _interact(page, light)
    light.console_errors = [msg for _, msg in recorder.console_errors[before:dark_from]]
    light.console_errors += [msg for _, msg in recorder.console_errors[dark_from + len(dark.console_errors):]]
    return light, dark


def _screenshot(page, info: PageInfo, out) -> None:
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        info.screenshot = str(out)


def _crawl_worker(executable: str, args: list[str], origin: str, queue, out: dict, errors: list,
                  screenshots: dict, axe_script: str):
    """One thread: its own Playwright and Chromium (the sync API is per thread) and one
    context; takes paths from `queue` until it is empty, each checked in both schemes."""
    import queue as queues

    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=args, headless=True)
            context = prepare(
                browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900}), axe_script,
                trim_search_index=True,
            )
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)  # copy buttons read back
            recorder = Recorder(origin).attach(context)
            page = context.new_page()
            while True:
                try:
                    path = queue.get_nowait()
                except queues.Empty:
                    break
                shots = {scheme: screenshots[(path, scheme)] for scheme in ("light", "dark") if (path, scheme) in screenshots}
                out["light"]["pages"][path], out["dark"]["pages"][path] = visit_both(
                    page, recorder, origin, path, screenshots=shots
                )
            out["light"]["requests"] += len(recorder.requests)
            out["light"]["offhost"] += recorder.offhost
            context.close()
            browser.close()
    except Exception as err:  # noqa: BLE001 - re-raised in the main thread
        errors.append(err)


def crawl_site(root, origin: str, executable: str, args: list[str], *, workers: int = 2,
               screenshots: dict | None = None) -> dict[str, "Crawl"]:
    """Visit every page of the build, `workers` browsers in parallel taking pages from one
    queue, each page loaded once and checked in light and in dark (visit_both).

    Everything is recorded per page (see visit()); the tests assert over it. Internal links to
    pages the build does not have are found by dead_links(); links to other files are checked
    over HTTP here. `screenshots`: {(path, scheme): png path} to take along the way.
    """
    import queue as queues
    import threading
    import time

    start = time.monotonic()
    paths = site_pages(root)
    out = {s: {"pages": {}, "requests": 0, "offhost": []} for s in ("light", "dark")}
    queue: queues.Queue = queues.Queue()
    for path in paths:
        queue.put(path)
    errors: list = []
    script = axe_source()
    threads = [
        threading.Thread(target=_crawl_worker, args=(executable, args, origin, queue, out, errors, screenshots or {}, script))
        for _ in range(workers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    result = {}
    for scheme, data in out.items():
        crawl = Crawl(origin, scheme, pages={p: data["pages"][p] for p in paths}, requests=data["requests"])
        crawl.offhost = data["offhost"]
        crawl.seconds = time.monotonic() - start
        result[scheme] = crawl
    light = result["light"]
    for info in light.html_pages():
        for link in info.links:
            target, _ = urldefrag(link["href"])
            parts = urlsplit(target)
            if f"{parts.scheme}://{parts.netloc}" != origin:
                continue
            if not (is_page_path(parts.path) and parts.path in light.pages) and parts.path not in light.assets:
                light.assets[parts.path] = http_status(origin + parts.path)
    return result


def dead_links(crawl: Crawl) -> list[str]:
    """Internal links whose page or file is missing, and #fragments with no such id."""
    problems = []
    for info in crawl.html_pages():
        for link in info.links:
            href = link["href"]
            target, fragment = urldefrag(href)
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "tel", "javascript", "data", "blob"):
                continue
            if f"{parts.scheme}://{parts.netloc}" != crawl.origin:
                continue  # a link (not a request) to another site: not checked offline
            where = f"{info.path}: <a href={link['raw']!r}> ({link['text']!r}, in {link['where'] or 'page'})"
            target_info = crawl.pages.get(parts.path)
            if target_info is not None:
                if target_info.status != 200:
                    problems.append(f"{where}: {parts.path} answers {target_info.status}")
                    continue
                if fragment and fragment not in target_info.ids:
                    problems.append(f"{where}: {parts.path} has no element with id {fragment!r}")
            else:
                status = crawl.assets.get(parts.path)
                if status != 200:
                    problems.append(f"{where}: {parts.path} answers {status}")
    return problems


# --- accessibility ------------------------------------------------------------------------

def serious_violations(axe_response: dict) -> list[dict]:
    """axe-core violations of impact serious or critical, with the offending elements."""
    found = []
    for v in axe_response.get("violations", []):
        if v.get("impact") in ("serious", "critical"):
            nodes = [
                {"target": n.get("target"), "html": n.get("html", "")[:160], "summary": n.get("failureSummary", "")}
                for n in v.get("nodes", [])
            ]
            found.append({"id": v["id"], "impact": v["impact"], "help": v.get("help", ""), "nodes": nodes})
    return found


def describe_violations(path: str, scheme: str, violations: list[dict]) -> list[str]:
    out = []
    for v in violations:
        for n in v["nodes"][:5]:
            out.append(f"{path} [{scheme}] {v['impact']} {v['id']} ({v['help']}): {n['target']} {n['html']}")
        if len(v["nodes"]) > 5:
            out.append(f"{path} [{scheme}] {v['id']}: and {len(v['nodes']) - 5} more elements")
    return out


# --- callouts and highlighted lines -------------------------------------------------------

def callout_mismatches(path: str, facts: dict) -> list[str]:
    """Blocks whose highlighted lines differ from the union of the lines callouts name."""
    problems = [f"{path}: malformed callout {html}" for html in facts["bad"]]
    for block, b in sorted(facts["blocks"].items(), key=lambda kv: int(kv[0])):
        hl, named = set(b["highlighted"]), set(b["named"])
        if b["lines"] == 0:
            problems.append(f"{path}: callouts name lines {sorted(named)} of code block {block}, which does not exist")
        elif hl != named:
            extra, missing = sorted(hl - named), sorted(named - hl)
            what = []
            if extra:
                what.append(f"highlighted but named by no callout: {extra}")
            if missing:
                what.append(f"named by a callout but not highlighted: {missing}")
            problems.append(f"{path}: code block {block}: " + "; ".join(what))
        elif named and max(named) > b["lines"]:
            problems.append(f"{path}: code block {block} has {b['lines']} lines, callouts name {max(named)}")
    return problems


def follow_problems(path: str, follows: list[dict]) -> list[str]:
    """Callouts that, followed, did not land on their highlighted line in view."""
    problems = []
    for f in follows:
        if f.get("problem"):
            problems.append(f"{path}: callout #{f['n']} ({f['href']}): {f['problem']}")
        elif f["hash"] != f["href"] or not (f["top"] >= 0 and f["bottom"] <= f["h"]) or not f["hl"]:
            problems.append(f"{path}: callout #{f['n']} ({f['href']}) -> {f}")
    return problems


# --- code blocks: what axe-core does not see ----------------------------------------------

MIN_CONTRAST = 4.5  # WCAG AA for text of normal size, as axe-core's color-contrast rule


def _rgba(css: str) -> tuple[float, float, float, float]:
    nums = [float(x) for x in re.findall(r"[\d.]+", css)]
    if not css.startswith("rgb") or len(nums) < 3:
        raise ValueError(f"not an rgb() colour: {css!r}")
    return (nums[0], nums[1], nums[2], nums[3] if len(nums) > 3 else 1.0)


def _over(top: tuple, bottom: tuple) -> tuple:
    """`top` composited over an opaque `bottom`."""
    a = top[3]
    return tuple(top[i] * a + bottom[i] * (1 - a) for i in range(3)) + (1.0,)


def contrast(fg: tuple, bg: tuple) -> float:
    def lum(c):
        ch = [v / 255 for v in c[:3]]
        ch = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in ch]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


MIN_TARGET = 24  # CSS px, WCAG 2.2's 2.5.8 (Target Size, Minimum)


def line_number_problems(path: str, scheme: str, code: dict) -> list[str]:
    """Code text (left out of axe's contrast rule by RUN_AXE) and line numbers (CSS-drawn, so
    axe skips them) below MIN_CONTRAST against their own
    background (opaque, with a one-colour gradient on highlighted lines) or smaller than
    MIN_TARGET x MIN_TARGET px, and plain tokens whose colour is not the code's (docskit
    drops their <span>: they must look the same), and any link with text inside code (left
    out of axe's link-in-text-block rule by RUN_AXE)."""
    problems = []
    small = code.get("smallest")
    if small and (small["width"] < MIN_TARGET or small["height"] < MIN_TARGET):
        problems.append(f"{path} [{scheme}]: line-number links smaller than {MIN_TARGET} x {MIN_TARGET} px: "
                        f"#{small['wide']} is {small['width']:.1f} px wide, #{small['high']} {small['height']:.1f} px high")
    plain = code.get("plain")
    if plain and plain["token"] != plain["code"]:
        problems.append(f"{path} [{scheme}]: a plain-name token would be {plain['token']}, the code around it "
                        f"{plain['code']}: tools/docskit/pages.py must keep the <span class=\"n\">")
    for link in code.get("text_links", []):
        problems.append(f"{path} [{scheme}]: a link with text inside code, where axe's link-in-text-block "
                        f"does not look (RUN_AXE): {link}")
    for kind in code.get("texts", []):
        bg = (255.0, 255.0, 255.0, 1.0)  # the canvas (white), if no layer is opaque
        for layer in reversed(kind["layers"]):
            bg = _over(_rgba(layer), bg)
        ratio = contrast(_over(_rgba(kind["color"]), bg), bg)
        if ratio < MIN_CONTRAST:
            problems.append(f"{path} [{scheme}]: code text {kind['example']!r}: contrast {ratio:.2f}:1 "
                            f"({kind['color']} on {' over '.join(kind['layers'])}), below {MIN_CONTRAST}:1")
    for kind in code.get("numbers", []):
        bg = _rgba(kind["background"])
        if bg[3] < 1:
            problems.append(f"{path} [{scheme}]: line number #{kind['example']} has a see-through background {kind['background']}")
            continue
        layer = re.search(r"rgba?\([^)]*\)", kind["image"] or "")  # a highlighted line's tint
        if layer:
            bg = _over(_rgba(layer[0]), bg)
        ratio = contrast(_over(_rgba(kind["color"]), bg), bg)
        if ratio < MIN_CONTRAST:
            problems.append(f"{path} [{scheme}]: line number #{kind['example']}: contrast {ratio:.2f}:1 "
                            f"({kind['color']} on {kind['background']} {kind['image']}), below {MIN_CONTRAST}:1")
    return problems
