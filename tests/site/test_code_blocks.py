"""Code blocks as pymdownx.highlight renders them with mkdocs.yml's settings, slimmed by the
hook (docskit/pages.py: slim_code_blocks): same text, same anchors, same highlighted lines,
one link per line number, fewer elements."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest

import mkdocs_config
from docskit.listings import ListingError
from docskit.pages import slim_code_blocks

ROOT = Path(__file__).resolve().parents[2]
CODE = 'import wandb\n\nrun = wandb.init(config={"lr": 0.1})\nrun.log({"loss": 0.1})\nrun.finish()\n'


def highlight_config() -> dict:
    """pymdownx.highlight's options as mkdocs.yml gives them."""
    config = mkdocs_config.load()
    for ext in config["markdown_extensions"]:
        if isinstance(ext, dict) and "pymdownx.highlight" in ext:
            return ext["pymdownx.highlight"]
    raise AssertionError("mkdocs.yml has no pymdownx.highlight")


def render(code: str, attrs: str) -> str:
    md = markdown.Markdown(
        extensions=["pymdownx.highlight", "pymdownx.superfences", "attr_list"],
        extension_configs={"pymdownx.highlight": highlight_config()},
    )
    return md.convert(f"``` {{ {attrs} }}\n{code}```\n")


def text_of(block: str) -> str:
    """What a reader selects and copies: the code's text, without tags (CSS draws the numbers)."""
    code = re.search(r"<code[^>]*>(.*)</code>", block, re.S)[1]
    return html.unescape(re.sub(r"<[^>]+>", "", code))


def elements(block: str) -> int:
    return len(re.findall(r"<[a-z]", block))


def test_a_numbered_block_keeps_its_text_anchors_and_highlights():
    raw = render(CODE, '.python title="ex.py" linenums="1" hl_lines="3 4"')
    slim = slim_code_blocks(raw, "docs/es/x.md", "es")
    assert text_of(slim) == CODE  # no line number in the text: nothing to select or copy
    lines = re.findall(r'(<span class="hll">)?<a id="__codelineno-0-(\d)" href="#__codelineno-0-\2"'
                       r' data-ln="(\d)" aria-label="Línea \2"></a>', slim)
    assert [(n, ln) for _, n, ln in lines] == [(str(i), str(i)) for i in range(1, 6)]
    assert {int(n) for hll, n, _ in lines if hll} == {3, 4}
    assert "linenos" not in slim and "<table" not in slim
    # one element per line, its link, which starts the line (in its highlight span if any)
    starts = re.findall(r'(<code>|\n|<span class="hll">|\n</span>)<a id="__codelineno', slim)
    assert starts == ["<code>", "\n", '<span class="hll">', '<span class="hll">', "\n</span>"], starts
    assert "<span>" not in slim


def test_numbers_are_padded_to_the_widest_and_labelled_in_english():
    slim = slim_code_blocks(render("x = 1\n" * 12, '.python linenums="1"'), "docs/en/x.md", "en")
    assert 'data-ln=" 9" aria-label="Line 9"' in slim and 'data-ln="12" aria-label="Line 12"' in slim


def test_an_unnumbered_block_loses_its_invisible_links_but_not_its_text():
    raw = render(CODE, ".python")
    assert 'href="#__codelineno-0-1"' in raw
    slim = slim_code_blocks(raw, "docs/en/x.md", "en")
    assert "__codelineno" not in slim and "<code>" in slim
    assert text_of(slim) == CODE


def test_plain_tokens_lose_their_span_coloured_ones_keep_it():
    slim = slim_code_blocks(render(CODE, '.python linenums="1"'), "docs/en/x.md", "en")
    assert 'class="w"' not in slim and 'class="n"' not in slim
    assert '<span class="kn">import</span>' in slim and '<span class="mf">0.1</span>' in slim


def test_a_line_number_in_an_unknown_form_fails_naming_the_page():
    raw = render(CODE, '.python linenums="1"').replace('name="__codelineno-0-2"', 'name="other"')
    with pytest.raises(ListingError, match=r"docs/en/x\.md: a line number in a form .* does not know"):
        slim_code_blocks(raw, "docs/en/x.md", "en")
