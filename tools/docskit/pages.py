"""Turn a page's listing directives and callouts into Markdown, computing every line number.

A page writes

    Line [[sdk:init]] starts the run.        <- callout: listing "sdk", target "init"
    [[listing sdk]]                          <- directive: show listing "sdk" here
    [[listing fig | Loss against lr]]        <- a figure (an SVG listing), with its text alternative

and gets "Line 33 starts the run." with 33 linking to line 33 of the block, plus a fenced
block that includes the snippet file whole (so page line N is file line N), highlights
exactly the lines that the page's callouts name, and offers the file for download. A
figure becomes an image of the served file, with its text alternative and a download link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import listings
from .listings import Listing, ListingError, Topic, rel

DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)\[\[listing (?P<key>[\w-]+)(?:[ \t]*\|[ \t]*(?P<alt>[^\]|]*?))?[ \t]*\]\][ \t]*$", re.M
)
CALLOUT = re.compile(r"\[\[(?P<key>[\w-]+):(?P<target>[\w-]+)\]\]")
# A callout rendered at Markdown time; the hook points it at the block's line anchor
# once the HTML exists (only then is the block's index on the page known).
CALLOUT_LINK = re.compile(r'<a class="callout" href="#listing-(?P<key>[\w-]+)" data-line="(?P<line>\d+)">')
# A listing's <div> (md_in_html may reorder its attributes); the hook adds its copy button.
LISTING_DIV = re.compile(r'<div\b[^>]*?\sdata-snippet="(?P<ref>[^"]+)"')
# A line number typed in prose ("line 37", "Lines 12-14", "líneas 3, 5 y 7", "line **37**",
# "line no. 37", "línea n.º 37", "lines 4, 6, and 8"): only callouts may put a line number
# on a page. The word, then a list or range of numbers and callouts; the match is an error
# if any item of the list is a bare number. Any case; emphasis and &nbsp; around the items.
_ITEM = r"[*_]{0,3}(?:\[\[[\w-]+:[\w-]+\]\]|\d+)[*_]{0,3}"
_SEP = (
    r"(?:\s*(?:,|-|–|—|&|/)\s*(?:(?:and|or|y|e|o|u)\s+)?"
    r"|\s+(?:and|or|to|through|thru|y|e|o|u|a|al|a\s+la|hasta|hasta\s+la)\s+)"
)
_SPACE = r"(?:\s|&nbsp;|&#160;)"
TYPED_LINE = re.compile(
    rf"\b(?:lines?|l[ií]neas?)[*_]{{0,3}}"
    rf"(?:{_SPACE}+(?:numbers?|n[uú]meros?|no\.|no|n\.?[º°]|n[uú]m\.?))?{_SPACE}*[:#]?{_SPACE}*"
    rf"(?P<items>{_ITEM}(?:{_SEP}{_ITEM})*)",
    re.I,
)
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")

UI = {
    "en": {
        "download": "Download {file}",
        "notebook": "Download as a Jupyter notebook ({file})",
        "wrong": "Wrong example: shown to explain a mistake, do not copy it",
        "line": "Line {n}",
        "copy": "Copy to clipboard",  # Material's own title for its copy button (clipboard.copy)
    },
    "es": {
        "download": "Descargar {file}",
        "notebook": "Descargar como notebook de Jupyter ({file})",
        "wrong": "Ejemplo incorrecto: muestra un error, no lo copies",
        "line": "Línea {n}",
        "copy": "Copiar al portapapeles",  # Material's own, likewise
    },
}


@dataclass(frozen=True)
class Callout:
    page_line: int
    key: str
    target: str
    first: int
    last: int


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def scan(markdown: str, offset: int = 0) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """(directives as (page line, key), callouts as (page line, key, target)), in page order.

    `offset` is the number of file lines before `markdown` (MkDocs strips the front matter).
    """
    directives = [(offset + line_of(markdown, m.start()), m["key"]) for m in DIRECTIVE.finditer(markdown)]
    callouts = [
        (offset + line_of(markdown, m.start()), m["key"], m["target"]) for m in CALLOUT.finditer(markdown)
    ]
    return directives, callouts


def typed_line_numbers(markdown: str, offset: int = 0) -> list[tuple[int, str]]:
    """(page line, text) of every line number typed by hand in the prose of `markdown`.

    Fenced code blocks and inline code are not prose (an error message quoted in backticks
    may say "line 5"); callouts are what the build computes, so "lines [[a:b]]" is fine.
    """
    prose_lines = []
    fence = None
    for line in markdown.split("\n"):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m["fence"][0] * len(m["fence"])
            prose_lines.append("")
        elif fence is not None:
            if line.strip().startswith(fence) and set(line.strip()) <= {fence[0]}:
                fence = None
            prose_lines.append("")
        else:
            prose_lines.append(_INLINE_CODE.sub(lambda c: " " * len(c[0]), line))
    prose = "\n".join(prose_lines)
    found = []
    for t in TYPED_LINE.finditer(prose):
        items = re.sub(r"[*_]", "", re.sub(r"\[\[[\w-]+:[\w-]+\]\]", "", t["items"]))  # callouts, emphasis
        if re.search(r"(?:^|[^\w\[:])\d+", items):
            found.append((offset + line_of(prose, t.start()), " ".join(t[0].split())))
    return found


def render(
    markdown: str,
    *,
    page: str,
    lang: str,
    label: str,
    download_href: Callable[[str], str],
    offset: int = 0,
) -> tuple[str, list[Callout]]:
    """Rewrite `markdown` of page `page` (path inside the language folder).

    `label` names the page in error messages (e.g. docs/es/guides/x.md); `download_href`
    maps a file path relative to snippets/ to the link the page should use for it;
    `offset` is the number of front-matter lines, so that messages give file line numbers.
    """
    topic = Topic(page[: -len(".md")] if page.endswith(".md") else page)
    typed = typed_line_numbers(markdown, offset)
    if typed:
        raise ListingError(
            "; ".join(f"{label}:{n}: line number typed by hand ({text!r}): use a callout [[listing:target]]"
                      for n, text in typed)
        )
    directives, raw_callouts = scan(markdown, offset)
    shown = {}
    for page_line, key in directives:
        if key in shown:
            raise ListingError(f"{label}:{page_line}: listing {key!r} is shown twice (first on line {shown[key]})")
        shown[key] = page_line
        _listing(topic, key, label, page_line)
    for m in DIRECTIVE.finditer(markdown):
        listing, where = topic[m["key"]], f"{label}:{offset + line_of(markdown, m.start())}"
        if listing.figure and not (m["alt"] or "").strip():
            raise ListingError(
                f"{where}: listing {listing.key!r} is a figure: say what it shows, "
                f"[[listing {listing.key} | text for readers who cannot see it]]"
            )
        if not listing.figure and m["alt"] is not None:
            raise ListingError(f"{where}: listing {listing.key!r} is code, not a figure: it takes no '| text'")

    callouts: list[Callout] = []
    for page_line, key, target in raw_callouts:
        where = f"{label}:{page_line}: callout [[{key}:{target}]]"
        if key not in shown:
            raise ListingError(f"{where} names listing {key!r}, which this page does not show")
        listing = _listing(topic, key, label, page_line)
        try:
            first, last = listing.resolve(target, lang)
        except ListingError as err:
            raise ListingError(f"{where}: {err}") from None
        callouts.append(Callout(page_line, key, target, first, last))

    for key, listing in topic.listings.items():
        if key not in shown:
            raise ListingError(f"{label}: listing {key!r} of {rel(listing.yaml_path())} is never shown on the page")
        used = {c.target for c in callouts if c.key == key}
        unused = sorted(set(listing.targets) - used)
        if unused:
            raise ListingError(
                f"{label}: target(s) {', '.join(unused)} of listing {key!r} ({rel(listing.yaml_path())}) "
                "are named by no callout on the page"
            )

    highlighted: dict[str, set[int]] = {key: set() for key in shown}
    for c in callouts:
        highlighted[c.key].update(range(c.first, c.last + 1))

    def directive(m: re.Match) -> str:
        listing = topic[m["key"]]
        if listing.figure:
            return _figure(listing, lang, m["indent"], m["alt"].strip(), download_href)
        return _block(listing, lang, m["indent"], sorted(highlighted[listing.key]), download_href)

    def callout(m: re.Match) -> str:
        c = next_callout.pop(0)
        return _link(c.key, c.first) if c.first == c.last else f"{_link(c.key, c.first)}–{_link(c.key, c.last)}"

    next_callout = list(callouts)
    out = CALLOUT.sub(callout, markdown)
    out = DIRECTIVE.sub(directive, out)
    return out, callouts


def _listing(topic: Topic, key: str, label: str, page_line: int) -> Listing:
    try:
        return topic[key]
    except ListingError as err:
        raise ListingError(f"{label}:{page_line}: {err}") from None


def _link(key: str, line: int) -> str:
    return f'<a class="callout" href="#listing-{key}" data-line="{line}">{line}</a>'


def _block(
    listing: Listing, lang: str, indent: str, hl: list[int], download_href: Callable[[str], str]
) -> str:
    ui = UI[lang]
    title = listing.title or listing.file
    attrs = [f".{listing.lexer}", f'title="{html.escape(title)}"', 'linenums="1"']
    if hl:
        attrs.append(f'hl_lines="{" ".join(map(str, hl))}"')
    links = [f"[{ui['download'].format(file=listing.file)}]({download_href(listing.ref(lang))})"
             f'{{ .listing-download download="{listing.file}" }}']
    if listing.notebook:
        nb = listing.notebook_path(lang).name
        links.append(
            f"[{ui['notebook'].format(file=nb)}]({download_href(listing.ref(lang)[: -len(listing.file)] + nb)})"
            f'{{ .listing-download download="{nb}" }}'
        )
    body = [
        f'<div class="listing no-copy{" listing--wrong" if listing.wrong else ""}" id="listing-{listing.key}"'
        f' data-snippet="{listing.ref(lang)}" markdown>',
        "",
        f"``` {{ {' '.join(attrs)} }}",
        f'--8<-- "{listing.ref(lang)}"',
        "```",
        "",
        " · ".join(links),
        "",
        "</div>",
    ]
    if listing.wrong:
        body = [f'!!! failure "{ui["wrong"]}"', ""] + [f"    {line}" if line else "" for line in body]
    return "\n".join(f"{indent}{line}" if line else "" for line in body)


def _figure(listing: Listing, lang: str, indent: str, alt: str, download_href: Callable[[str], str]) -> str:
    """An SVG drawn by an example: the served file as an image, and its download link."""
    href = download_href(listing.ref(lang))
    body = [
        f'<div class="listing-figure" id="listing-{listing.key}" markdown>',
        "",
        f"![{alt}]({href})",
        "",
        f"[{UI[lang]['download'].format(file=listing.file)}]({href})"
        f'{{ .listing-download download="{listing.file}" }}',
        "",
        "</div>",
    ]
    return "\n".join(f"{indent}{line}" if line else "" for line in body)


def link_callouts(page_html: str, label: str) -> str:
    """Point each callout at its line's anchor, `#__codelineno-<block>-<line>`.

    pymdownx.highlight numbers code blocks in page order; the block of listing K is the
    first one after the element with id `listing-K`.
    """
    blocks: dict[str, int] = {}

    def block_index(key: str) -> int:
        if key not in blocks:
            start = page_html.find(f'id="listing-{key}"')
            m = re.compile(r'id="__codelineno-(\d+)-1"').search(page_html, start)
            if start < 0 or not m:
                raise ListingError(f"{label}: cannot find the code block of listing {key!r} in the HTML")
            blocks[key] = int(m[1])
        return blocks[key]

    def repl(m: re.Match) -> str:
        key, line = m["key"], m["line"]
        return f'<a class="callout" href="#__codelineno-{block_index(key)}-{line}" data-line="{line}">'

    return CALLOUT_LINK.sub(repl, page_html)


def copy_buttons(page_html: str, label: str, lang: str) -> str:
    """Give each listing's code block its copy button, in the HTML: Material's own button
    (`md-code__nav` > `md-code__button`, Material's title) holding the file's exact text as
    `data-clipboard-text`.

    Material's copy handler copies a button's `data-clipboard-text` as it is, and says
    "Copied to clipboard"; the text it would take from the code itself is trimmed at the end
    (`trimEnd()` in its bundle), so without the file's final newline. A listing is marked
    `no-copy` (pages._block), so Material adds no button of its own: inserting one into every
    block and then measuring the block, one block after another, was a layout per block when
    the page loads. (A CRLF file would still copy with LF: clipboard.js copies through a
    <textarea>, which normalises line breaks.)
    """
    title = html.escape(UI[lang]["copy"])
    out, pos = [], 0
    for m in LISTING_DIV.finditer(page_html):
        path = listings.SNIPPETS / m["ref"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ListingError(f"{label}: cannot read {rel(path)} for its copy button: {err}") from None
        pre = page_html.find("<pre>", m.end())
        following = LISTING_DIV.search(page_html, m.end())
        if pre < 0 or (following and following.start() < pre):
            raise ListingError(f"{label}: the listing of {m['ref']} has no code block for its copy button")
        pre += len("<pre>")
        button = (
            f'<nav class="md-code__nav"><button class="md-code__button" title="{title}"'
            f' data-clipboard-text="{html.escape(text)}" data-md-type="copy"></button></nav>'
        )
        out += [page_html[pos:pre], button]
        pos = pre
    out.append(page_html[pos:])
    return "".join(out)


# What pymdownx.highlight writes for each line (linenums_style: pymdownx-inline,
# anchor_linenums): an anchor, the highlight span if the line is highlighted, a link to the
# anchor holding the number as `data-linenos` (padded to the block's widest number), the
# line's tokens and its newline, and the end of the highlight span.
_NUMBERED_LINE = re.compile(
    r'<a id="(?P<anchor>__codelineno-\d+-(?P<line>\d+))" name="(?P=anchor)"></a>'
    r'(?P<hll><span class="hll">)?'
    r'<a href="#(?P=anchor)"><span class="linenos" data-linenos="(?P<number> *\d+) "></span></a>'
    r'(?P<code>[^\n]*\n)(?(hll)</span>)'
)
# A line of a block without line numbers starts with an invisible, empty link to itself.
_UNNUMBERED_LINE = re.compile(r'<a id="(__codelineno-\d+-\d+)" name="\1" href="#\1"></a>')
# Pygments tokens that look exactly like the text around them: whitespace (`w`, never
# coloured) and plain names (`n`, coloured `--md-code-hl-name-color`, which Material sets to
# the code's own colour; tests/browser checks that it still does, in both schemes).
_PLAIN_TOKEN = re.compile(r'<span class="[wn]">([^<]*)</span>')
_CODE = re.compile(r"<code>(?P<body>.*?)</code>", re.S)


def slim_code_blocks(page_html: str, label: str, lang: str) -> str:
    """Fewer elements in code blocks, same look, same anchors.

    A numbered line becomes `<a id="__codelineno-B-L" href="#__codelineno-B-L" data-ln=" L"
    aria-label="Line L"></a>` and its code, inside `<span class="hll">` if the line is
    highlighted. CSS draws the number from `data-ln` (docs/assets/stylesheets/site.css),
    so that it is never selected or copied; the anchors callouts link to stay where they were.
    Unnumbered blocks lose their invisible per-line links, and tokens that look like plain
    text lose their <span>. Pymdownx's table of line numbers had 4 elements per line; this
    has 1, which is what styling, layout and axe-core's contrast check spend their time on.
    """
    name = UI[lang]["line"]

    def numbered(m: re.Match) -> str:
        link = (
            f'<a id="{m["anchor"]}" href="#{m["anchor"]}" data-ln="{m["number"]}"'
            f' aria-label="{name.format(n=m["line"])}"></a>'
        )
        return f'{m["hll"]}{link}{m["code"]}</span>' if m["hll"] else f"{link}{m['code']}"

    def code(m: re.Match) -> str:
        body = _NUMBERED_LINE.sub(numbered, m["body"])
        body = _PLAIN_TOKEN.sub(r"\1", _UNNUMBERED_LINE.sub("", body))
        return f"<code>{body}</code>"

    out = _CODE.sub(code, page_html.replace("<pre><span></span><code>", "<pre><code>"))
    left = re.search(r'<span class="linenos" data-linenos="[^"]*"></span>|<table class="highlighttable">', out)
    if left:
        raise ListingError(
            f"{label}: a line number in a form docskit/pages.py (slim_code_blocks) does not know: "
            f"{out[max(0, left.start() - 120):left.end()]!r} (has pymdownx.highlight's output or mkdocs.yml changed?)"
        )
    return out
