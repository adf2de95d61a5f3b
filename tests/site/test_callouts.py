"""Callouts and listings: numbers come from the snippet, and every broken target fails loudly."""

from __future__ import annotations

import html
import re
import textwrap

import pytest

import docskit.listings as listings_module
from docskit.listings import ListingError, all_topics
from docskit.pages import copy_buttons, link_callouts, render

SNIPPET = textwrap.dedent(
    """\
    import wandb

    run = wandb.init()
    lr = run.config.lr
    epochs = run.config.epochs
    run.log({"loss": 0.1})
    """
)
LISTINGS_YML = textwrap.dedent(
    """\
    ex:
      file: ex.py
      targets:
        init: "wandb.init()"
        config: ["lr = run.config.lr", "epochs = "]
    """
)
PAGE = "Line [[ex:init]] starts a run; lines [[ex:config]] read it.\n\n[[listing ex]]\n"


@pytest.fixture
def snippets(tmp_path, monkeypatch):
    """A snippets/ folder with one page ("demo") whose listing files the test may edit."""
    root = tmp_path / "snippets"
    for lang in ("en", "es"):
        (root / "demo" / lang).mkdir(parents=True)
        (root / "demo" / lang / "ex.py").write_text(SNIPPET, encoding="utf-8")
    (root / "demo" / "listings.yml").write_text(LISTINGS_YML, encoding="utf-8")
    monkeypatch.setattr(listings_module, "SNIPPETS", root)
    return root


def build(page=PAGE, lang="en"):
    return render(page, page="demo.md", lang=lang, label=f"docs/{lang}/demo.md", download_href=lambda ref: f"/dl/{ref}")


def numbers(markdown):
    return re.findall(r'data-line="(\d+)">', markdown)


def test_numbers_and_highlights_come_from_the_file(snippets):
    out, callouts = build()
    assert numbers(out) == ["3", "4", "5"]
    assert 'hl_lines="3 4 5"' in out
    assert '--8<-- "demo/en/ex.py"' in out
    assert "[Download ex.py](/dl/demo/en/ex.py)" in out
    assert '<div class="listing no-copy" id="listing-ex" data-snippet="demo/en/ex.py" markdown>' in out
    assert [(c.first, c.last) for c in callouts] == [(3, 3), (4, 5)]


def test_inserting_a_line_moves_every_number_and_highlight(snippets):
    path = snippets / "demo" / "en" / "ex.py"
    path.write_text("# a new first line\n" + SNIPPET, encoding="utf-8")
    out, _ = build()
    assert numbers(out) == ["4", "5", "6"]
    assert 'hl_lines="4 5 6"' in out


def test_a_target_matching_no_line_names_page_callout_and_snippet(snippets):
    path = snippets / "demo" / "es" / "ex.py"
    path.write_text(SNIPPET.replace("wandb.init()", "wandb.init(project='x')"), encoding="utf-8")
    with pytest.raises(ListingError) as err:
        build(lang="es")
    msg = str(err.value)
    assert "docs/es/demo.md:1: callout [[ex:init]]" in msg
    assert "demo/es/ex.py" in msg and "matches no line" in msg


def test_a_target_matching_several_lines_is_rejected(snippets):
    path = snippets / "demo" / "en" / "ex.py"
    path.write_text(SNIPPET + "wandb.init()\n", encoding="utf-8")
    with pytest.raises(ListingError, match=r"matches lines 3, 7"):
        build()


def test_a_callout_to_a_listing_not_on_the_page_fails(snippets):
    with pytest.raises(ListingError, match=r"docs/en/demo.md:1: callout \[\[ex:init\]\] names listing 'ex'"):
        build(PAGE.replace("[[listing ex]]", ""))


def test_an_unknown_target_fails(snippets):
    with pytest.raises(ListingError, match=r"no target 'nope'"):
        build(PAGE + "See [[ex:nope]].\n")


def test_a_target_no_callout_uses_fails(snippets):
    with pytest.raises(ListingError, match=r"target\(s\) config of listing 'ex'"):
        build("Line [[ex:init]].\n\n[[listing ex]]\n")


def test_a_listing_shown_twice_fails(snippets):
    with pytest.raises(ListingError, match=r"shown twice"):
        build(PAGE + "\n[[listing ex]]\n")


def test_a_listing_never_shown_fails(snippets):
    (snippets / "demo" / "listings.yml").write_text(LISTINGS_YML + "other:\n  file: ex.py\n", encoding="utf-8")
    with pytest.raises(ListingError, match=r"listing 'other' .* is never shown"):
        build()


def test_callout_links_point_at_the_block_of_their_listing():
    html = (
        '<div id="listing-a"><a id="__codelineno-0-1"></a></div>'
        '<div id="listing-b"><a id="__codelineno-1-1"></a></div>'
        '<p><a class="callout" href="#listing-b" data-line="7">7</a></p>'
    )
    assert 'href="#__codelineno-1-7"' in link_callouts(html, "docs/en/x.md")


def test_every_real_target_resolves_in_both_languages():
    # The build checks this page by page; this names every broken target at once.
    problems = []
    for topic in all_topics():
        for listing in topic.listings.values():
            for name in listing.targets:
                for lang in ("en", "es"):
                    try:
                        listing.resolve(name, lang)
                    except ListingError as err:
                        problems.append(str(err))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("ending", ["\n", "", "\n\n\n"], ids=["one-newline", "none", "several"])
def test_a_listing_gets_a_copy_button_holding_its_file_text(snippets, ending):
    """Material's copy button, in the listing's code block, with the file's exact text (final
    newlines and all, HTML-escaped), whatever order md_in_html gave the listing's attributes;
    other code blocks are left alone."""
    text = 'print("<a> & \'b\'")\n\tx = 1' + ending
    (snippets / "demo" / "es" / "ex.py").write_text(text, encoding="utf-8")
    page = (
        '<div class="listing no-copy" id="listing-ex" data-snippet="demo/en/ex.py">\n<div class="highlight"><pre><code>x</code></pre></div></div>\n'
        '<div class="listing no-copy" data-snippet="demo/es/ex.py" id="listing-ex2" markdown>\n<pre><code>y</code></pre></div>\n'
        '<div class="admonition"><pre><code>z</code></pre>'
    )
    out = copy_buttons(page, "docs/es/demo.md", "es")
    en = html.escape(SNIPPET)
    es = 'print(&quot;&lt;a&gt; &amp; &#x27;b&#x27;&quot;)\n\tx = 1' + ending
    button = ('<pre><nav class="md-code__nav"><button class="md-code__button" title="Copiar al portapapeles"'
              ' data-clipboard-text="{}" data-md-type="copy"></button></nav><code>')
    assert button.format(en) + "x</code>" in out
    assert button.format(es) + "y</code>" in out
    assert out.endswith('<div class="admonition"><pre><code>z</code></pre>') and out.count("<nav") == 2
    assert html.unescape(es) == text


def test_a_listing_whose_file_is_missing_fails(snippets):
    with pytest.raises(ListingError, match=r"docs/en/demo.md: cannot read .*demo/en/gone.py"):
        copy_buttons('<div class="listing" id="listing-x" data-snippet="demo/en/gone.py"><pre>', "docs/en/demo.md", "en")


# --- line numbers typed by hand -----------------------------------------------------------

@pytest.mark.parametrize(
    "prose, typed",
    [
        ("Line 37: call wandb.init().", "Line 37"),
        ("See lines 12-14 and more.", "lines 12-14"),
        ("Lines 12–14 read it.", "Lines 12–14"),
        ("En las líneas 3, 5 y 7 se lee.", "líneas 3, 5 y 7"),
        ("LÍNEA 8 llama a wandb.init().", "LÍNEA 8"),
        ("lines [[ex:init]] and 40", "lines [[ex:init]] and 40"),
        ("Lines 3 to 5 log it.", "Lines 3 to 5"),
        ("on line\n37 of the file", "line 37"),
        ("line number 9", "line number 9"),
        # any case, ranges and lists (issue 9)
        ("LINES 3-5 log it.", "LINES 3-5"),
        ("See line 4 and 6.", "line 4 and 6"),
        ("See lines 4, 6, and 8.", "lines 4, 6, and 8"),
        ("Las LÍNEAS 3 a 5 lo registran.", "LÍNEAS 3 a 5"),
        ("las líneas [[ex:init]] al 40", "líneas [[ex:init]] al 40"),
        ("de la línea [[ex:init]] hasta la 40", "línea [[ex:init]] hasta la 40"),
        ("lines [[ex:init]] thru 40", "lines [[ex:init]] thru 40"),
        # emphasis, signs and abbreviations around the number
        ("See line **37**.", "line **37**"),
        ("See line _37_.", "line _37_"),
        ("See line #37.", "line #37"),
        ("See line no. 37.", "line no. 37"),
        ("Ver la línea n.º 37.", "línea n.º 37"),
        ("Ver la línea nº 37.", "línea nº 37"),
        ("See line&nbsp;37.", "line&nbsp;37"),
    ],
)
def test_a_line_number_typed_by_hand_fails_with_page_and_line(snippets, prose, typed):
    page = PAGE + "\n" + prose + "\n"
    with pytest.raises(ListingError) as err:
        build(page)
    line = PAGE.count("\n") + 2
    assert str(err.value).startswith(f"docs/en/demo.md:{line}: line number typed by hand ({typed!r})")
    assert "use a callout" in str(err.value)


@pytest.mark.parametrize(
    "prose",
    [
        "Lines [[ex:init]] and [[ex:config]] are computed.",
        "Lines [[ex:init]]–[[ex:config]], and **line [[ex:init]]** again.",
        "A line of code; 2 lines; line numbers come from the build.",
        "The line no longer fails; an online 37; a headline 3; lines and 5 columns.",
        "The traceback says `File \"train.py\", line 5`.",
        "```text\nline 5 of the output\n```",
    ],
)
def test_computed_numbers_and_code_are_not_typed_numbers(snippets, prose):
    build(PAGE + "\n" + prose + "\n")
# --- figures: SVG listings drawn by an example ---------------------------------------------

FIGURE_YML = LISTINGS_YML + "plot:\n  file: plot.svg\n"


@pytest.fixture
def figure(snippets):
    for lang in ("en", "es"):
        (snippets / "demo" / lang / "plot.svg").write_text("<svg/>\n", encoding="utf-8")
    (snippets / "demo" / "listings.yml").write_text(FIGURE_YML, encoding="utf-8")
    return snippets


def test_a_figure_is_an_image_with_its_text_alternative_and_a_download_link(figure):
    out, _ = build(PAGE + "\n[[listing plot | Loss against lr]]\n", lang="es")
    assert "![Loss against lr](/dl/demo/es/plot.svg)" in out
    assert '[Descargar plot.svg](/dl/demo/es/plot.svg){ .listing-download download="plot.svg" }' in out
    assert '<div class="listing-figure" id="listing-plot" markdown>' in out and "```" not in out.split("plot.svg")[-1]


def test_a_figure_without_its_text_alternative_fails(figure):
    with pytest.raises(ListingError, match=r"docs/en/demo.md:5: listing 'plot' is a figure: say what it shows"):
        build(PAGE + "\n[[listing plot]]\n")
    with pytest.raises(ListingError, match=r"listing 'plot' is a figure"):
        build(PAGE + "\n[[listing plot |  ]]\n")


def test_a_code_listing_takes_no_text_alternative(figure):
    page = PAGE.replace("[[listing ex]]", "[[listing ex | some code]]") + "\n[[listing plot | Loss]]\n"
    with pytest.raises(ListingError, match=r"listing 'ex' is code, not a figure"):
        build(page)


def test_a_figure_takes_no_targets(figure):
    (figure / "demo" / "listings.yml").write_text(FIGURE_YML + "  targets:\n    x: svg\n", encoding="utf-8")
    with pytest.raises(ListingError, match=r"listing 'plot' is a figure \(plot.svg\): it takes no targets"):
        build(PAGE + "\n[[listing plot | Loss]]\n")
