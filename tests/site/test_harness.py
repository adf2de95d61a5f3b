"""The harness's own guarantees: a snippet line that no execution reaches is reported."""

from __future__ import annotations

import harness
import docskit.listings as listings_module

SNIPPET = "import sys\n\nif len(sys.argv) > 5:\n    print('never')\nprint('ok')\n"


def test_lines_that_never_ran_are_named_with_file_and_line(tmp_path, monkeypatch):
    root = tmp_path / "snippets"
    for lang in ("en", "es"):
        (root / "demo" / lang).mkdir(parents=True)
        (root / "demo" / lang / "ex.py").write_text(SNIPPET, encoding="utf-8")
    (root / "demo" / "listings.yml").write_text("ex:\n  file: ex.py\n", encoding="utf-8")
    monkeypatch.setattr(listings_module, "SNIPPETS", root)
    monkeypatch.setattr(harness, "ROOT", tmp_path)
    for name in ("LINES_RUN", "EXERCISED"):
        monkeypatch.setattr(harness, name, {})
    monkeypatch.setattr(harness, "RUNS", harness.Counter())
    (tmp_path / "work").mkdir()

    page = harness.PageListings("demo.md", tmp_path / "work")
    for lang in ("en", "es"):
        assert page.run("ex", lang).check().stdout == "ok\n"
    assert harness.lines_never_run() == [
        "snippets/demo/en/ex.py: lines 4 never executed",
        "snippets/demo/es/ex.py: lines 4 never executed",
    ]
    assert harness.EXERCISED == {"demo.md": {"ex"}}
