"""The harness's own guarantees: a snippet line that no execution reaches is reported."""

from __future__ import annotations

import pytest

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


SVG = '<svg width="460.8pt"><path id="p1f2e3d" d="M 10.5 -3.25 L 72 0.000001"/><!-- best run --></svg>\n'


def test_svgs_are_the_same_figure_up_to_tiny_numeric_differences():
    assert harness.same_svg(SVG, SVG.replace("10.5 ", "10.504 ").replace("0.000001", "0"))
    assert not harness.same_svg(SVG, SVG.replace("10.5 ", "10.6 "))  # a moved point
    assert not harness.same_svg(SVG, SVG.replace("best run", "best  run"))  # a changed label
    assert not harness.same_svg(SVG, SVG.replace("p1f2e3d", "p9f2e3d"))  # another id: another salt
    assert not harness.same_svg(SVG, SVG.replace(" L 72 0.000001", ""))  # a missing segment


def test_check_figure_compares_the_drawn_file_and_rewrites_only_a_different_figure(tmp_path, monkeypatch):
    root = tmp_path / "snippets"
    for lang in ("en", "es"):
        (root / "demo" / lang).mkdir(parents=True)
        (root / "demo" / lang / "fig.svg").write_text(SVG, encoding="utf-8")
    (root / "demo" / "listings.yml").write_text("fig:\n  file: fig.svg\n", encoding="utf-8")
    monkeypatch.setattr(listings_module, "SNIPPETS", root)
    monkeypatch.setattr(harness, "ROOT", tmp_path)  # error messages name files relative to it
    listings = harness.PageListings("demo.md", tmp_path / "run")
    cwd = listings.workdir("en")
    assert not (cwd / "fig.svg").exists()  # figures are not copied: the example must draw them
    result = harness.Result(["draw"], cwd, {}, 0, "", "")
    with pytest.raises(AssertionError, match="did not write fig.svg"):
        listings.check_figure("fig", "en", result)
    (cwd / "fig.svg").write_text(SVG.replace("10.5 ", "10.501 "), encoding="utf-8")
    listings.check_figure("fig", "en", result)  # the same figure
    (cwd / "fig.svg").write_text(SVG.replace("best run", "other"), encoding="utf-8")
    with pytest.raises(AssertionError, match="no longer matches"):
        listings.check_figure("fig", "en", result)
    listings.update_outputs = True
    listings.check_figure("fig", "en", result)
    assert "other" in (root / "demo" / "en" / "fig.svg").read_text(encoding="utf-8")
    (cwd / "fig.svg").write_text(SVG.replace("best run", "other").replace("10.5 ", "10.501 "), encoding="utf-8")
    listings.check_figure("fig", "en", result)  # equivalent: the committed file stays as it is
    assert "10.5 " in (root / "demo" / "en" / "fig.svg").read_text(encoding="utf-8")
