"""MkDocs hooks (mkdocs.yml: `hooks`): listings, callouts, downloads, drift notices, reference,
the try-offline boxes and the mock's wheel, page dates and source links.

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
from mkdocs.utils import get_relative_url  # noqa: E402

from docskit import LANGS, SNIPPETS  # noqa: E402
from docskit import dates, drift, offline, pages, reference, search  # noqa: E402
from docskit.listings import ListingError, Topic, all_listings, all_topics  # noqa: E402

log = logging.getLogger("mkdocs.plugins.docskit")
DOWNLOADS = "downloads"  # site folder that serves snippet files and notebooks
DEFINES: dict[str, list[str]] = {}  # page url -> names it defines (docskit/search.py)
# mkdocs-static-i18n runs one build per language with the same config object; `mkdocs
# serve` loads a new one for each rebuild. One `git log` per config: see _history().
_HISTORY: list = [None, None]  # [config, dates.History]
_WHEEL: dict[str, str] = {}  # "name" -> the wheel's file name, once on_files has added it


def _page_lang_and_path(src_uri: str) -> tuple[str, str]:
    parts = PurePosixPath(src_uri).parts
    if parts and parts[0] in LANGS:
        return parts[0], str(PurePosixPath(*parts[1:]))
    return LANGS[0], src_uri


def on_config(config):
    """Source links only when a repository is configured (repo_url in mkdocs.yml, or the
    SITE_REPO_URL variable it reads): without one, MkDocs would turn edit_uri into a
    relative link and warn."""
    if not config.repo_url:
        config.edit_uri = None
    return config


def _history(config) -> dates.History:
    if _HISTORY[0] is not config:
        history = dates.history()
        _HISTORY[:] = [config, history]
        if history.reason:
            log.info("page dates: %s", history.reason)
        elif history.shallow:
            docs = Path(config.docs_dir)
            undated = [p for p in docs.rglob("*.md")
                       if history.page_date(*_page_lang_and_path(p.relative_to(docs).as_posix())) is None]
            if undated:
                log.info("page dates: %s", dates.SHALLOW_HINT.format(n=len(undated)))
    return _HISTORY[1]


def on_files(files, config):
    """Serve every listing's file, in both languages, and its notebook, under /downloads/;
    and, for the try-offline boxes, the mock's wheel and each page's files as a zip."""
    try:
        for listing in all_listings():
            for lang in LANGS:
                paths = [listing.path(lang)] + ([listing.notebook_path(lang)] if listing.notebook else [])
                for path in paths:
                    rel = path.relative_to(SNIPPETS).as_posix()
                    files.append(File.generated(config, f"{DOWNLOADS}/{rel}", abs_src_path=str(path)))
        for topic in all_topics():
            problems = offline.problems(topic)
            if problems:
                raise ListingError("; ".join(problems))
            if offline.offline_listings(topic):
                for lang in LANGS:
                    uri = f"{DOWNLOADS}/{offline.zip_ref(topic, lang)}"
                    files.append(File.generated(config, uri, abs_src_path=str(offline.zip_file(topic, lang))))
        if offline.available():
            wheel = offline.wheel()
            files.append(File.generated(config, f"{DOWNLOADS}/{wheel.name}", abs_src_path=str(wheel)))
            _WHEEL["name"] = wheel.name
    except ListingError as err:
        raise PluginError(str(err)) from None
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
        markdown = _wheel_link(markdown, label, download_href)
    except ListingError as err:
        raise PluginError(str(err)) from None
    topic = Topic(path[: -len(".md")])
    if offline.offline_listings(topic):
        page_href = posixpath.relpath(offline.PAGE, posixpath.dirname(path) or ".")
        zip_href = download_href(offline.zip_ref(topic, lang))
        markdown = _after_title(markdown, offline.block(topic, lang, page_href=page_href, zip_href=zip_href))
    if lang != LANGS[0]:
        notice = drift.notice(path, lang, page.meta, _english_url(page, path))
        if notice:
            log.info("translation drift: %s", drift.describe(path, lang, page.meta))
            markdown = _after_title(markdown, notice)
    return markdown


def _wheel_link(markdown: str, label: str, download_href) -> str:
    if offline.WHEEL_DIRECTIVE not in markdown:
        return markdown
    if "name" not in _WHEEL:
        raise ListingError(f"{label}: {offline.WHEEL_DIRECTIVE} links to the mock's wheel, but this site has no mock "
                           f"to build it from ({offline.MOCK})")
    name = _WHEEL["name"]
    # download_href() gives a path relative to snippets/; the wheel is at the top of /downloads/.
    href = download_href(name)
    return markdown.replace(offline.WHEEL_DIRECTIVE, offline.wheel_link(name, href))


def _english_url(page, path: str) -> str:
    """The English twin's URL relative to this page, from the i18n plugin's map of twins
    (the same one the language selector uses)."""
    twin = getattr(page.file, "alternates", {}).get(LANGS[0])
    if twin is None:
        return drift.relative_url(path)
    url = get_relative_url(twin.url, page.url)
    return url if url.endswith("/") or not twin.url.endswith("/") else url + "/"


def _after_title(markdown: str, block: str) -> str:
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: i + 1] + ["", block, ""] + lines[i + 1 :])
    return block + "\n\n" + markdown


def on_page_context(context, page, config, nav):
    """The page's last change, for tools/theme/partials/source-file.html."""
    lang, path = _page_lang_and_path(page.file.src_uri)
    day = _history(config).page_date(lang, path)
    if day is not None:
        context["page_updated"] = {
            "label": dates.LABEL[lang], "iso": day.isoformat(), "text": dates.format_date(day, lang)
        }
    return context


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
