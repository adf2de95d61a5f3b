"""MkDocs hooks (mkdocs.yml: `hooks`): listings, callouts, downloads, drift notices, reference.

MkDocs loads this file by path, so the package's parent folder is put on sys.path first.
mkdocs-static-i18n runs the whole build once per language; every event below therefore
sees the pages of one language at a time.
"""

from __future__ import annotations

import logging
import posixpath
import sys
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from docskit import LANGS, SNIPPETS  # noqa: E402
from docskit import drift, pages, reference, search  # noqa: E402
from docskit.listings import ListingError, all_listings  # noqa: E402

log = logging.getLogger("mkdocs.plugins.docskit")
DOWNLOADS = "downloads"  # site folder that serves snippet files and notebooks
DEFINES: dict[str, list[str]] = {}  # page url -> names it defines (docskit/search.py)


def _page_lang_and_path(src_uri: str) -> tuple[str, str]:
    parts = PurePosixPath(src_uri).parts
    if parts and parts[0] in LANGS:
        return parts[0], str(PurePosixPath(*parts[1:]))
    return LANGS[0], src_uri


def on_files(files, config):
    """Serve every listing's file, in both languages, and its notebook, under /downloads/."""
    for listing in all_listings():
        for lang in LANGS:
            paths = [listing.path(lang)] + ([listing.notebook_path(lang)] if listing.notebook else [])
            for path in paths:
                rel = path.relative_to(SNIPPETS).as_posix()
                files.append(File.generated(config, f"{DOWNLOADS}/{rel}", abs_src_path=str(path)))
    return files


def on_page_markdown(markdown, page, config, files):
    lang, path = _page_lang_and_path(page.file.src_uri)
    label = f"docs/{lang}/{path}"

    def download_href(ref: str) -> str:
        # A link relative to the page's source, which MkDocs resolves and checks like any other.
        return posixpath.relpath(f"{DOWNLOADS}/{ref}", posixpath.dirname(page.file.src_uri))

    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    offset = source[: max(source.find(markdown), 0)].count("\n")  # front-matter lines
    try:
        markdown = reference.render(markdown, lang=lang, label=label)
        markdown, _ = pages.render(
            markdown, page=path, lang=lang, label=label, download_href=download_href, offset=offset
        )
    except ListingError as err:
        raise PluginError(str(err)) from None
    if lang != LANGS[0]:
        notice = drift.notice(path, lang, page.meta)
        if notice:
            log.info("translation drift: %s", drift.describe(path, lang, page.meta))
            markdown = _after_title(markdown, notice)
    return markdown


def _after_title(markdown: str, block: str) -> str:
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: i + 1] + ["", block, ""] + lines[i + 1 :])
    return block + "\n\n" + markdown


def on_page_content(html, page, config, files):
    lang, path = _page_lang_and_path(page.file.src_uri)
    try:
        label = f"docs/{lang}/{path}"
        DEFINES[page.url] = search.defined_names(html)
        html = pages.slim_code_blocks(pages.link_callouts(html, label), label, lang)
        return pages.copy_buttons(html, label, lang)
    except ListingError as err:
        raise PluginError(str(err)) from None


@event_priority(-100)  # after the search and i18n plugins have written the index
def on_post_build(config):
    """Accent-forgiving search: see docskit/search.py. (mkdocs-static-i18n builds once per
    language into one index; the step is idempotent, so it runs after each.)"""
    search.rewrite(config.site_dir, DEFINES)
