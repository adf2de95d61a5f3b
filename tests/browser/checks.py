"""The checkers of the browser tests, kept apart from the tests so that negative tests can
feed them a broken page and see them report it.

- Recorder: every request a browser context makes, and every console error; a request to
  another host than the site's is blocked (never sent) and reported;
- crawl_site: visits every page reachable from the home pages and the sitemap;
- dead_links: internal links and #fragments that lead nowhere;
- callout_blocks / callout_mismatches: highlighted lines versus the lines callouts name;
- serious_violations: axe-core's serious and critical findings.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

NETWORK_SCHEMES = {"http", "https", "ws", "wss", "ftp"}


class Recorder:
    """Records the requests and console errors of every page of a browser context."""

    def __init__(self, origin: str):
        self.origin = origin
        self.host = urlsplit(origin).netloc
        self.requests: list[str] = []
        self.offhost: list[str] = []
        self.console_errors: list[tuple[str, str]] = []  # (page url, message)
        self.inflight = 0

    def attach(self, context) -> "Recorder":
        context.route("**/*", self._route)
        context.on("request", self._on_request)
        context.on("requestfinished", self._on_done)
        context.on("requestfailed", self._on_done)
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)
        return self

    def _on_request(self, request) -> None:
        self.requests.append(request.url)
        self.inflight += 1

    def _on_done(self, request) -> None:
        self.inflight -= 1

    def settle(self, page, quiet_ms: int = 100, timeout_ms: int = 10_000) -> None:
        """Wait until no request of the context has been in flight for `quiet_ms` (the
        fetches Material makes after `load`, whose failures show as console errors)."""
        waited = quiet = 0
        while quiet < quiet_ms and waited < timeout_ms:
            page.wait_for_timeout(20)
            waited += 20
            quiet = quiet + 20 if self.inflight <= 0 else 0

    def is_offhost(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in NETWORK_SCHEMES and parts.netloc != self.host

    def _route(self, route) -> None:
        url = route.request.url
        if self.is_offhost(url):
            frame = route.request.frame
            self.offhost.append(f"{_frame_url(frame)} -> {url}")
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def _watch(self, page) -> None:
        def on_console(msg):
            if msg.type == "error":
                where = msg.location.get("url", "") if msg.location else ""
                self.console_errors.append((page.url, f"{msg.text} ({where})" if where else msg.text))

        page.on("console", on_console)
        page.on("pageerror", lambda err: self.console_errors.append((page.url, f"uncaught: {err}")))


def _frame_url(frame) -> str:
    try:
        return frame.url
    except Exception:  # noqa: BLE001 - a service worker request has no frame
        return "?"


# --- crawl --------------------------------------------------------------------------------

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


def visit(page, recorder: Recorder, origin: str, path: str, axe_runner) -> PageInfo:
    before = len(recorder.console_errors)
    response = page.goto(origin + path, wait_until="load")
    info = PageInfo(path, response.status if response else 0)
    if info.status != 200:
        return info
    recorder.settle(page)
    facts = page.evaluate(PAGE_FACTS)
    info.lang, info.scheme, info.title = facts["lang"], facts["scheme"] or "", facts["title"]
    info.ids = set(facts["ids"])
    info.links = facts["links"]
    info.switcher = facts["switcher"]
    if axe_runner is not None:
        info.violations = serious_violations(axe_runner.run(page).response)
    info.console_errors = [msg for _, msg in recorder.console_errors[before:]]
    return info


def _crawl_worker(executable: str, args: list[str], origin: str, paths: list[str], schemes, out: dict, errors: list):
    """One thread: its own Playwright and Chromium (the sync API is per thread)."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=args, headless=True)
            axe_runner = _axe()
            for scheme in schemes:
                context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
                recorder = Recorder(origin).attach(context)
                page = context.new_page()
                for path in paths:
                    out[scheme]["pages"][path] = visit(page, recorder, origin, path, axe_runner)
                out[scheme]["requests"] += len(recorder.requests)
                out[scheme]["offhost"] += recorder.offhost
                context.close()
            browser.close()
    except Exception as err:  # noqa: BLE001 - re-raised in the main thread
        errors.append(err)


def crawl_site(root, origin: str, executable: str, args: list[str], *, workers: int = 2) -> dict[str, "Crawl"]:
    """Visit every page of the build in light and dark, `workers` browsers in parallel.

    Each page is loaded in a real browser; its ids, links, console errors and axe-core's
    serious/critical violations are recorded. Internal links to pages the build does not
    have are found by dead_links(); links to other files are checked over HTTP here.
    """
    import threading
    import time

    start = time.monotonic()
    paths = site_pages(root)
    out = {s: {"pages": {}, "requests": 0, "offhost": []} for s in ("light", "dark")}
    errors: list = []
    threads = [
        threading.Thread(target=_crawl_worker, args=(executable, args, origin, paths[i::workers], ("light", "dark"), out, errors))
        for i in range(workers)
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

def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


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

CALLOUT_FACTS = """() => {
  // Every code block with line anchors: its highlighted lines and the callouts naming it.
  const blocks = {};
  for (const a of document.querySelectorAll('a[id^="__codelineno-"]')) {
    const [, b, l] = a.id.match(/^__codelineno-(\\d+)-(\\d+)$/);
    blocks[b] = blocks[b] || {highlighted: [], named: [], lines: 0};
    blocks[b].lines = Math.max(blocks[b].lines, +l);
    if (a.parentElement && a.parentElement.querySelector(':scope > .hll')) blocks[b].highlighted.push(+l);
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
