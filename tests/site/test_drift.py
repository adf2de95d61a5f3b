"""Translation drift: a Spanish page behind its English source is reported and flagged."""

from __future__ import annotations

import pytest

import docskit.drift as drift


@pytest.fixture
def docs(tmp_path, monkeypatch):
    for lang in ("en", "es"):
        (tmp_path / lang / "guides").mkdir(parents=True)
    (tmp_path / "en" / "guides" / "page.md").write_text("# Page\n\nEnglish text.\n", encoding="utf-8")
    (tmp_path / "es" / "guides" / "page.md").write_text(
        "---\ntitle: Página\n---\n# Página\n\nTexto.\n", encoding="utf-8"
    )
    monkeypatch.setattr(drift, "DOCS", tmp_path)
    return tmp_path


def meta(docs):
    return drift.front_matter((docs / "es" / "guides" / "page.md").read_text(encoding="utf-8"))


URL = "../../../guides/page/"  # from /es/guides/page/ to /guides/page/ (the hook asks the i18n plugin)


def test_a_page_never_accepted_is_outdated(docs):
    assert drift.notice("guides/page.md", "es", meta(docs), URL)
    assert len(drift.report()) == 1


def test_accepting_records_the_fingerprint_and_clears_the_notice(docs, capsys):
    drift.accept(docs / "es" / "guides" / "page.md")
    assert meta(docs)["title"] == "Página"
    assert drift.notice("guides/page.md", "es", meta(docs), URL) is None
    assert drift.report() == []


def test_an_english_edit_brings_the_notice_and_the_report_back(docs):
    drift.accept(docs / "es" / "guides" / "page.md")
    (docs / "en" / "guides" / "page.md").write_text("# Page\n\nEnglish text, revised.\n", encoding="utf-8")
    notice = drift.notice("guides/page.md", "es", meta(docs), URL)
    assert notice.startswith('!!! warning "Esta traducción puede estar desactualizada"')
    # An HTML link to the built English page: MkDocs checks Markdown links against source
    # files, and would log this URL as an unrecognized relative link.
    assert '<a href="../../../guides/page/" hreflang="en">versión en inglés</a>' in notice
    [line] = drift.report()
    assert "docs/es/guides/page.md" in line and "drift.py --accept" in line


def test_the_fallback_url_climbs_out_of_the_language_folder():
    assert drift.relative_url("guides/page.md") == URL
    assert drift.relative_url("guides/index.md") == "../../guides/"
    assert drift.relative_url("index.md") == "../"
