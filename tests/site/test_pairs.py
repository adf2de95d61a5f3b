"""ES/EN alignment: every snippet twin, every page pair; and the checker on broken fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from docskit import DOCS
from docskit.listings import all_listings
from docskit.pairs import mismatches, page_mismatches

LISTINGS = all_listings()
PAGES = sorted(p.relative_to(DOCS / "en").as_posix() for p in (DOCS / "en").rglob("*.md"))


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda l: f"{l.topic}/{l.file}")
def test_snippet_twins_line_up(listing):
    problems = mismatches(listing.path("en"), listing.path("es"))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_a_twin_with_the_same_callouts(page):
    es = DOCS / "es" / page
    assert es.exists(), f"docs/en/{page} has no Spanish twin docs/es/{page}"
    problems = page_mismatches(DOCS / "en" / page, es)
    assert not problems, "\n".join(problems)


def test_spanish_pages_have_english_twins():
    orphans = [p for p in (DOCS / "es").rglob("*.md") if not (DOCS / "en" / p.relative_to(DOCS / "es")).exists()]
    assert not orphans, f"Spanish pages without an English twin: {orphans}"


# --- the checker itself, on deliberately broken fixtures ---------------------------------

def write(tmp_path: Path, name: str, en: str, es: str) -> tuple[Path, Path]:
    (tmp_path / "en").mkdir(exist_ok=True)
    (tmp_path / "es").mkdir(exist_ok=True)
    a, b = tmp_path / "en" / name, tmp_path / "es" / name
    a.write_text(en, encoding="utf-8")
    b.write_text(es, encoding="utf-8")
    return a, b


GOOD_EN = '''# Start a run
import wandb

run = wandb.init(project="my-project", config={"lr": 0.1})
print(f"learning rate: {run.config['lr']}")
wandb.log({"val_loss": 0.5})
'''
GOOD_ES = '''# Inicia un run
import wandb

run = wandb.init(project="mi-proyecto", config={"lr": 0.1})
print(f"tasa de aprendizaje: {run.config['lr']}")
wandb.log({"val_loss": 0.5})
'''


def test_translated_comments_and_strings_are_allowed(tmp_path):
    assert mismatches(*write(tmp_path, "a.py", GOOD_EN, GOOD_ES)) == []


@pytest.mark.parametrize(
    "broken, why",
    [
        (GOOD_ES.replace('{"val_loss": 0.5}', '{"perdida_val": 0.5}'), "dict key translated"),
        (GOOD_ES.replace("project=", "proyecto="), "argument name translated"),
        (GOOD_ES.replace("{run.config['lr']}", "{run.config['tasa']}"), "code inside an f-string changed"),
        (GOOD_ES.replace("wandb.log", "wandb.registrar"), "API name translated"),
    ],
    ids=lambda v: v if len(v) < 40 else "",
)
def test_code_differences_are_reported_with_file_and_line(tmp_path, broken, why):
    en, es = write(tmp_path, "a.py", GOOD_EN, broken)
    problems = mismatches(en, es)
    assert problems, why
    changed = next(n for n, (x, y) in enumerate(zip(GOOD_ES.splitlines(), broken.splitlines()), 1) if x != y)
    assert f"{es}:{changed}:" in problems[0]


def test_a_missing_or_extra_line_is_reported(tmp_path):
    en, es = write(tmp_path, "a.py", GOOD_EN, GOOD_ES.replace("import wandb\n", "import wandb\n\n"))
    assert mismatches(en, es) == [f"{es}: 7 lines, but {en} has 6"]


def test_file_names_in_strings_must_not_be_translated(tmp_path):
    en, es = write(tmp_path, "a.py", 'open("config.yaml")\n', 'open("configuracion.yaml")\n')
    assert mismatches(en, es)


def test_yaml_twins(tmp_path):
    en = "# sweep\nprogram: train.py\nname: sweep\nmetric:\n  name: val_acc\n"
    assert mismatches(*write(tmp_path, "c.yaml", en, en.replace("name: sweep", "name: barrido"))) == []
    assert mismatches(*write(tmp_path, "d.yaml", en, en.replace("program: train.py", "program: entrena.py")))


def test_shell_twins(tmp_path):
    en = "wandb agent --count $NUM your-entity/sweep-demo-cli/sweepID\n"
    es = "wandb agent --count $NUM tu-entidad/demo-barrido-cli/sweepID\n"
    assert mismatches(*write(tmp_path, "a.sh", en, es)) == []
    assert mismatches(*write(tmp_path, "b.sh", en, es.replace("--count", "--cuenta")))


def test_pages_with_different_callouts_are_reported(tmp_path):
    en, es = write(tmp_path, "p.md", "Line [[sdk:init]].\n\n[[listing sdk]]\n", "Línea [[sdk:log]].\n\n[[listing sdk]]\n")
    problems = page_mismatches(en, es)
    assert problems and "callout #1 differs" in problems[0] and "[[sdk:init]]" in problems[0]
    en, es = write(tmp_path, "q.md", "[[listing a]]\n[[listing b]]\n", "[[listing b]]\n[[listing a]]\n")
    assert "shows listings" in page_mismatches(en, es)[0]


def test_non_ascii_text_before_a_key_on_the_same_line(tmp_path):
    en = 'print("learning rate", {"lr": 1}["lr"])\n'
    es = 'print("tasa de aprendizaje en España", {"lr": 1}["lr"])\n'
    assert mismatches(*write(tmp_path, "u.py", en, es)) == []
    assert mismatches(*write(tmp_path, "v.py", en, es.replace('["lr"]', '["tasa"]')))
