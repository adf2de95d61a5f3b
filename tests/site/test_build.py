"""The hook inside a real MkDocs build: numbers, highlights and anchors in the HTML, and a
broken target that stops the build with the page, the callout and the snippet named.

Each test builds a two-page project (one page per language) in a temporary folder, with
the repository's mkdocs.yml settings and a copy of tools/docskit, so the machinery runs
exactly as on the site.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SNIPPET = "import wandb\n\nrun = wandb.init()\nrun.log({'loss': 0.1})\nrun.finish()\n"
PAGE = "---\ntitle: Demo\n---\n# Demo\n\nLine [[ex:init]] starts a run; line [[ex:log]] logs.\n\n[[listing ex]]\n"


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


@pytest.fixture
def project(tmp_path):
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    config.pop("nav")
    config.pop("extra_css")
    config["exclude_docs"] = ""
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for folder in ("docskit", "theme"):  # the hook, and the theme overrides mkdocs.yml names
        if (ROOT / "tools" / folder).exists():
            shutil.copytree(ROOT / "tools" / folder, tmp_path / "tools" / folder,
                            ignore=shutil.ignore_patterns("__pycache__"))
    for lang in ("en", "es"):
        (tmp_path / "docs" / lang).mkdir(parents=True)
        (tmp_path / "docs" / lang / "index.md").write_text(PAGE, encoding="utf-8")
        (tmp_path / "snippets" / "index" / lang).mkdir(parents=True)
        (tmp_path / "snippets" / "index" / lang / "ex.py").write_text(SNIPPET, encoding="utf-8")
    (tmp_path / "snippets" / "index" / "listings.yml").write_text(
        'ex:\n  file: ex.py\n  targets:\n    init: "wandb.init()"\n    log: "run.log("\n', encoding="utf-8"
    )
    return tmp_path


def build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")],
        cwd=project, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )


def highlighted(html: str, block: int) -> set[int]:
    """Line numbers of block `block` whose line is a highlighted span (docskit/pages.py:
    slim_code_blocks writes `<span class="hll"><a id="__codelineno-B-L" ...>` for those)."""
    lines = re.findall(rf'(<span class="hll">)?<a id="__codelineno-{block}-(\d+)" href="#__codelineno-{block}-\2"', html)
    assert lines, f"no numbered line of block {block}"
    return {int(n) for hll, n in lines if hll}


def test_callouts_link_to_highlighted_lines_in_both_languages(project):
    done = build(project)
    assert done.returncode == 0, done.stderr
    for page in ("site/index.html", "site/es/index.html"):
        html = (project / page).read_text(encoding="utf-8")
        links = re.findall(r'<a class="callout" href="#__codelineno-(\d+)-(\d+)" data-line="(\d+)">\3</a>', html)
        assert [(b, n) for b, n, _ in links] == [("0", "3"), ("0", "4")]
        assert 'id="__codelineno-0-3"' in html
        assert highlighted(html, 0) == {3, 4}
        assert "downloads/index/" in html


def test_a_line_added_to_the_snippet_moves_numbers_and_highlights(project):
    path = project / "snippets" / "index" / "es" / "ex.py"
    path.write_text("# comentario\n" + SNIPPET, encoding="utf-8")
    (project / "snippets" / "index" / "en" / "ex.py").write_text("# comment\n" + SNIPPET, encoding="utf-8")
    done = build(project)
    assert done.returncode == 0, done.stderr
    html = (project / "site" / "es" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'data-line="(\d+)"', html) == ["4", "5"]
    assert highlighted(html, 0) == {4, 5}


def test_a_broken_target_fails_the_build_naming_page_callout_and_snippet(project):
    path = project / "snippets" / "index" / "es" / "ex.py"
    path.write_text(SNIPPET.replace("run.log(", "run.registrar("), encoding="utf-8")
    done = build(project)
    assert done.returncode != 0
    assert "docs/es/index.md:6: callout [[ex:log]]" in done.stderr
    assert "snippets/index/es/ex.py" in done.stderr and "matches no line" in done.stderr
