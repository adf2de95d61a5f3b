"""Try it offline: every page with examples has a box, the box's command and zip, and the
mock's wheel (its metadata, its cache, its build) — docskit/offline.py.

That the wheel installs offline and that every box runs from it is tested with the page
that explains it: tests/guides/sweeps/test_try_offline.py.
"""

from __future__ import annotations

import importlib.metadata
import io
import shutil
import zipfile

import pytest

from docskit import LANGS, offline
from docskit.listings import Topic, all_topics


def _runnable(topic: Topic):
    return [l for l in topic.listings.values() if l.lexer in offline.RUNNABLE and not l.wrong]


@pytest.mark.parametrize("topic", [t for t in all_topics() if _runnable(t)], ids=lambda t: t.name)
def test_every_page_with_examples_has_a_box_with_a_runnable_command(topic):
    """A page whose examples a reader can run marks the one its box shows (`offline: true`)."""
    if f"{topic.name}.md" == offline.PAGE:
        assert not offline.offline_listings(topic), "the try-offline page explains the install: it has no box"
        return
    assert offline.offline_listings(topic), (
        f"snippets/{topic.name}/listings.yml: docs/*/{topic.name}.md has examples, but no listing is marked "
        f"`offline: true` (the command its 'without a W&B account' box shows and the gate runs from the "
        f"mock's wheel; pick one that runs as it is, e.g. {_runnable(topic)[0].key!r})"
    )
    assert offline.problems(topic) == []


def test_a_box_command_is_what_a_reader_types(tmp_path):
    walkthrough = Topic("guides/sweeps/walkthrough")
    [run] = offline.offline_listings(walkthrough)
    assert offline.commands(walkthrough, "en") == run.path("en").read_text(encoding="utf-8").strip()  # a shell listing
    log = Topic("ref/python/log")
    [steps] = offline.offline_listings(log)
    assert offline.commands(log, "es") == f"python {steps.file}"  # a Python listing


def test_the_box_links_the_install_page_and_the_zip_and_shows_the_commands():
    topic = Topic("ref/cli/wandb-agent")  # its commands name a sweep as entity/project/sweepID
    for lang in LANGS:
        box = offline.block(topic, lang, page_href="../../guides/sweeps/try-offline.md", zip_href="Z.zip")
        assert box.startswith(f'??? example "{offline.UI[lang]["title"]}"')
        assert "](../../guides/sweeps/try-offline.md)" in box and '](Z.zip){ download="wandb-agent.zip" }' in box
        assert f"    {offline.commands(topic, lang)}\n" in box
        assert offline.UI[lang]["sweep_path"] in box
    assert offline.UI["en"]["sweep_path"] not in offline.block(
        Topic("ref/python/log"), "en", page_href="p.md", zip_href="z.zip"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_zip_holds_the_page_files_in_a_folder_and_is_reproducible(lang):
    topic = Topic("guides/sweeps/walkthrough")
    data = offline.page_zip(topic, lang)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = {info.filename: zf.read(info) for info in zf.infolist()}
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    folder = topic.folder / lang
    assert names == {f"walkthrough/{p.name}": p.read_bytes() for p in folder.iterdir() if p.is_file()}
    offline._zip.cache_clear()
    assert offline.page_zip(topic, lang) == data


def test_the_served_wheel_carries_the_mock_its_dependencies_and_its_command():
    wheel = offline.wheel()
    # What tests/mock_wandb/pyproject.toml declares, as this session's editable install of
    # the mock read it (tomllib is not in Python 3.10).
    declared = importlib.metadata.metadata("wandb-reference-mock")
    version = declared["Version"]
    assert wheel.name == f"wandb_reference_mock-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        info = f"wandb_reference_mock-{version}.dist-info"
        metadata = zf.read(f"{info}/METADATA").decode()
        requires = [line.split(": ", 1)[1] for line in metadata.splitlines() if line.startswith("Requires-Dist: ")]
        assert sorted(requires) == sorted(declared.get_all("Requires-Dist")) == sorted(["pyyaml", "sweeps==0.2.0", "numpy"])
        assert f"Requires-Python: {declared['Requires-Python']}" in metadata
        assert "wandb = wandb.cli:main" in zf.read(f"{info}/entry_points.txt").decode()
        sources = {p.relative_to(offline.MOCK / "src").as_posix() for p in offline._sources(offline.MOCK)[1:]}
        packaged = {n for n in zf.namelist() if not n.startswith(info)}
        assert packaged == {s for s in sources if s.endswith(".py")}, "the wheel should hold the mock's modules, all of them"


# --- the wheel's cache, on a small project of its own --------------------------------------

@pytest.fixture
def small_mock(tmp_path, monkeypatch):
    mock = tmp_path / "mock"
    (mock / "src" / "tinymock").mkdir(parents=True)
    (mock / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "tinymock"\nversion = "1.0"\ndependencies = ["pyyaml"]\n'
        '[tool.setuptools.packages.find]\nwhere = ["src"]\n',
        encoding="utf-8",
    )
    (mock / "src" / "tinymock" / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.setattr(offline, "MOCK", mock)
    monkeypatch.setattr(offline, "WHEELS", tmp_path / "build" / "mock-wheel")
    return mock


def test_the_wheel_is_built_when_missing_reused_and_rebuilt_when_the_mock_changes(small_mock, monkeypatch):
    first = offline.wheel()
    assert first.name == "tinymock-1.0-py3-none-any.whl" and first.parent.name == offline.source_hash()
    assert not list(small_mock.rglob("*.egg-info")) and not (small_mock / "build").exists(), "built from a copy"
    data = first.read_bytes()

    builds = []
    real_build = offline._build
    monkeypatch.setattr(offline, "_build", lambda key: (builds.append(key), real_build(key)))
    assert offline.wheel() == first and builds == []  # same sources: reused
    shutil.rmtree(first.parent)
    assert offline.wheel().read_bytes() == data and len(builds) == 1  # missing: built, byte for byte the same

    (small_mock / "src" / "tinymock" / "__init__.py").write_text("VALUE = 2\n", encoding="utf-8")
    second = offline.wheel()
    assert builds[1:] == [second.parent.name] and second.parent != first.parent
    assert not first.parent.exists(), "the wheel of the older sources is removed"
    with zipfile.ZipFile(second) as zf:
        assert zf.read("tinymock/__init__.py") == b"VALUE = 2\n"


def test_a_wheel_that_cannot_be_built_stops_with_the_reason(small_mock):
    (small_mock / "pyproject.toml").write_text("[project\n", encoding="utf-8")
    with pytest.raises(offline.WheelError, match="cannot build the mock's wheel"):
        offline.wheel()
    assert [p for p in offline.WHEELS.iterdir()] == [], "nothing half-built is left behind"
