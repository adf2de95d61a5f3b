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

import mkdocs_config

ROOT = Path(__file__).resolve().parents[2]
SNIPPET = "import wandb\n\nrun = wandb.init()\nrun.log({'loss': 0.1})\nrun.finish()\n"
PAGE = "---\ntitle: Demo\n---\n# Demo\n\nLine [[ex:init]] starts a run; line [[ex:log]] logs.\n\n[[listing ex]]\n"


@pytest.fixture
def project(tmp_path):
    config = mkdocs_config.load()
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


def build(project: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")],
        cwd=project, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", **env},
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


# --- dates, source links, the drift notice's link -----------------------------------------

GIT_ENV = {
    "GIT_AUTHOR_NAME": "docs", "GIT_AUTHOR_EMAIL": "docs@example.invalid", "GIT_COMMITTER_NAME": "docs",
    "GIT_COMMITTER_EMAIL": "docs@example.invalid", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_DATE": "2026-03-05T12:00:00+00:00", "GIT_COMMITTER_DATE": "2026-03-05T12:00:00+00:00",
    "PATH": "/usr/bin:/bin",
}
UPDATED = re.compile(r'<span class="md-source-file__fact page-updated">\s*(.*?):\s*<time datetime="([\d-]+)">(.*?)</time>')
REPO = "https://git.example.org/team/sweeps-guide"


def test_outside_git_and_without_a_repository_url_no_date_and_no_source_link(project):
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert "page dates: no git history" in done.stderr  # said once, at INFO
    for page in ("site/index.html", "site/es/index.html"):
        html = (project / page).read_text(encoding="utf-8")
        assert "page-updated" not in html and 'rel="edit"' not in html and "md-content__button" not in html


def test_dates_source_links_and_the_notice_link_in_a_git_checkout(project):
    config = project / "mkdocs.yml"  # the repository's setting, which the fixture resolved to null
    config.write_text(config.read_text(encoding="utf-8").replace("repo_url: null", "repo_url: !ENV SITE_REPO_URL"),
                      encoding="utf-8")
    for lang, title in (("en", "Guide page"), ("es", "Página de guía")):
        (project / "docs" / lang / "guides").mkdir()
        (project / "docs" / lang / "guides" / "page.md").write_text(f"# {title}\n\nText.\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "docs"]):
        subprocess.run(["git", *args], cwd=project, env=GIT_ENV, check=True, capture_output=True)

    done = build(project, SITE_REPO_URL=REPO)
    assert done.returncode == 0, done.stderr
    assert "unrecognized relative link" not in done.stderr, done.stderr
    pages = {"en": "site/guides/page/index.html", "es": "site/es/guides/page/index.html"}
    html = {lang: (project / path).read_text(encoding="utf-8") for lang, path in pages.items()}
    assert UPDATED.findall(html["en"]) == [("Last updated", "2026-03-05", "March 5, 2026")]
    assert UPDATED.findall(html["es"]) == [("Última actualización", "2026-03-05", "5 de marzo de 2026")]
    for lang in ("en", "es"):
        assert f'href="{REPO}/edit/main/docs/{lang}/guides/page.md"' in html[lang]  # Material's edit button
        assert f'href="{REPO}/raw/main/docs/{lang}/guides/page.md"' in html[lang]  # and its view button
    # The Spanish page was never accepted as a translation: its notice links to the English page.
    assert '<a href="../../../guides/page/" hreflang="en">versión en inglés</a>' in html["es"]


def test_a_shallow_clone_builds_without_dates_and_says_how_to_fetch_the_history(project, tmp_path):
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "docs"]):
        subprocess.run(["git", *args], cwd=project, env=GIT_ENV, check=True, capture_output=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project}", str(clone)],
                   env=GIT_ENV, check=True, capture_output=True)
    done = build(clone)
    assert done.returncode == 0, done.stderr
    assert "page dates: git history is shallow: 2 page(s)" in done.stderr and "git fetch --unshallow" in done.stderr
    for page in ("site/index.html", "site/es/index.html"):
        assert "page-updated" not in (clone / page).read_text(encoding="utf-8")
