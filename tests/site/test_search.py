"""docskit/search.py: the build-time step that makes search forgive accents and find names."""

from docskit import search


def test_fold_removes_accents_only():
    assert search.fold("configuración tamaño parámetros") == "configuracion tamano parametros"
    assert search.fold("run_cap wandb.agent") == "run_cap wandb.agent"


def test_folded_words_lists_only_words_that_change():
    assert search.folded_words("<p>La configuración del <code>tamaño</code> de lote</p>") == "configuracion tamano"
    assert search.folded_words("plain words") == ""


def test_index_gets_folded_and_defines_fields():
    index = {
        "config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
        "docs": [
            {"location": "es/guides/x/", "title": "Configuración", "text": "Parámetros"},
            {"location": "es/guides/x/#a", "title": "Plain", "text": "plain"},
            {"location": "ref/python/agent/", "title": "<code>wandb.agent</code>", "text": ""},
        ],
    }
    out = search.add_folded_field(index, {"es/guides/x/": ["run_cap"]})
    fields = out["config"]["fields"]
    assert fields["folded"] == {"boost": 1.0} and fields["folded_title"] == {"boost": 1000.0}
    assert fields["defines"]["boost"] == search.DEFINES_BOOST
    first, section, ref = out["docs"]
    assert (first["folded"], first["folded_title"], first["defines"]) == ("parametros", "configuracion", "run_cap")
    assert "folded" not in section and "defines" not in section
    assert ref["defines"] == "wandb.agent"
    assert search.add_folded_field(out, {"es/guides/x/": ["run_cap"]}) == out  # idempotent


def test_defined_names_are_first_cells_of_table_rows():
    html = "<table><tr>\n<td><code>run_cap</code></td><td>x <code>count</code></td></tr></table>"
    assert search.defined_names(html) == ["run_cap"]
