"""The glossary holds on every Spanish page, and the checker catches what it must."""

from __future__ import annotations

import pytest

from docskit import DOCS
from docskit.glossary import problems, prose, spanish_pages


@pytest.mark.parametrize("page", spanish_pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_spanish_page_follows_the_glossary(page):
    found = problems(page, DOCS / "en" / page.relative_to(DOCS / "es"))
    assert not found, "\n".join(found)


def page(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_the_seed_mistranslation_is_caught(tmp_path):
    es = page(tmp_path, "es.md", "No registres métricas dentro de un subdirectorio.\n")
    en = page(tmp_path, "en.md", "Do not log metrics inside a nested dictionary.\n")
    found = problems(es, en)
    assert any("'subdirectorio'" in p and "prose line 1" in p for p in found)
    assert any("'diccionarios? anidados?'" in p for p in found)


def test_formal_address_and_variants_are_caught(tmp_path):
    es = page(tmp_path, "es.md", "Usted puede loguear la ejecución con el ritmo de aprendizaje.\n")
    found = "\n".join(problems(es, None))
    for word in ("'Usted'", "'loguear'", "'ejecución'", "'ritmo de aprendizaje'"):
        assert word in found


def test_code_and_links_are_not_prose():
    text = "Mira `sweep_id` y [el run](../sweeps/run.md).\n\n```python\nsweep = 1\n```\n[[sdk:sweep]]\n"
    assert "sweep" not in prose(text).lower()


def test_terms_wrapped_over_two_lines_and_titles_with_api_names(tmp_path):
    es = page(tmp_path, "es.md", "---\ntitle: wandb.sweep\n---\nElige la tasa de\naprendizaje.\n")
    en = page(tmp_path, "en.md", "Pick the learning rate.\n")
    assert problems(es, en) == []
    es.write_text("Elige el ritmo de\naprendizaje.\n", encoding="utf-8")
    assert any("ritmo de" in p for p in problems(es, en))
