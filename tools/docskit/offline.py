"""Try the examples offline: the mock as a wheel, each page's files as a zip, and the box
that tells a reader how to run that page's examples without a W&B account.

- `wheel()` builds the reference mock (tests/mock_wandb) into a wheel with its own build
  backend (setuptools' PEP 517 hooks, installed in the session's environment: nothing is
  downloaded) under build/mock-wheel/<hash of the mock's sources>/, and reuses it until
  those sources change. The site serves it under /downloads/ (hook.py), the try-offline
  page links to it with `[[mock-wheel]]`, and the gate installs it in a fresh virtual
  environment (tests/guides/sweeps/test_try_offline.py).
- A listing marked `offline: true` in listings.yml is a command that runs as it is, in the
  page's folder: the page's box shows it (`python <file>` for a Python listing, the text of
  a shell listing), and the gate runs it from that fresh environment. `page_zip()` is the
  download the box offers: the page's files in one language, in a folder named after the page
  (written to build/page-zips/, since the i18n plugin needs every file on disk).
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from . import ROOT
from .listings import Listing, ListingError, Topic, rel

MOCK = ROOT / "tests" / "mock_wandb"  # the mock's project: pyproject.toml and src/
WHEELS = ROOT / "build" / "mock-wheel"  # ignored by git
ZIPS = ROOT / "build" / "page-zips"  # ignored by git; mkdocs-static-i18n needs files on disk
PAGE = "guides/sweeps/try-offline.md"  # the page with the install steps (in each language)
WHEEL_DIRECTIVE = "[[mock-wheel]]"  # on that page: a download link to the wheel
RUNNABLE = ("python", "bash")  # lexers of listings a reader can run as they are
# Zip entries carry this timestamp (zip's earliest), and the wheel's files too
# (SOURCE_DATE_EPOCH): the same sources give the same bytes on every build.
EPOCH = 315532800  # 1980-01-01T00:00:00Z

UI = {
    "en": {
        "title": "Run this page's examples without a W&B account",
        "body": (
            "Install the reference mock of `wandb` once, as [Try the examples offline]({page}) "
            "explains. Then download [this page's files]({zip}){{ download=\"{name}\" }}, unzip "
            "them, and run in the folder `{folder}`, with the mock's environment active:"
        ),
        "sweep_path": (
            "Where a command on this page names a sweep as `entity/project/sweepID`, use the "
            "path that `wandb sweep` printed: with the mock, the entity is `mock-entity`."
        ),
    },
    "es": {
        "title": "Ejecuta los ejemplos de esta página sin una cuenta de W&B",
        "body": (
            "Instala una vez la simulación de referencia de `wandb`, como explica "
            "[Prueba los ejemplos sin conexión]({page}). Después descarga "
            "[los archivos de esta página]({zip}){{ download=\"{name}\" }}, descomprímelos "
            "y ejecuta, en la carpeta `{folder}` y con el entorno de la simulación activado:"
        ),
        "sweep_path": (
            "Donde un comando de esta página nombra un barrido como `entidad/proyecto/sweepID`, "
            "usa la ruta que imprimió `wandb sweep`: con la simulación, la entidad es `mock-entity`."
        ),
    },
}


class WheelError(ListingError):
    """The mock's wheel cannot be built; the message says why and what to install."""


# --- the wheel ------------------------------------------------------------------------------

def _sources(mock: Path) -> list[Path]:
    files = [mock / "pyproject.toml"]
    files += [
        p for p in (mock / "src").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not any(part.endswith(".egg-info") for part in p.parts)
    ]
    return sorted(files)


def source_hash(mock: Path | None = None) -> str:
    """12 hex digits of sha256 over the mock's pyproject.toml and src/ (names and bytes)."""
    mock = mock or MOCK
    digest = hashlib.sha256()
    for path in _sources(mock):
        digest.update(path.relative_to(mock).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def available() -> bool:
    """Is there a mock to build? (Not in the throwaway projects of tests/site/test_build.py.)"""
    return (MOCK / "pyproject.toml").is_file()


def wheel() -> Path:
    """The mock's wheel for its current sources: built when missing or stale, else reused."""
    key = source_hash()
    folder = WHEELS / key
    built = sorted(folder.glob("*.whl")) if folder.is_dir() else []
    if not built:
        _build(key)
        built = sorted(folder.glob("*.whl"))
    if len(built) != 1:
        raise WheelError(f"{folder} should hold exactly one wheel, it holds {[p.name for p in built]}")
    return built[0]


def _build(key: str) -> None:
    """Build into a temporary folder, then move it into place in one step (two builds at
    once, e.g. two test workers, both succeed: the second finds the folder there)."""
    WHEELS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=WHEELS))
    try:
        project = work / "project"  # a copy: setuptools writes build/ and *.egg-info next to the sources
        project.mkdir()
        shutil.copy2(MOCK / "pyproject.toml", project)
        shutil.copytree(MOCK / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        out = work / key
        out.mkdir()
        code = "import sys; from setuptools import build_meta; build_meta.build_wheel(sys.argv[1])"
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONDONTWRITEBYTECODE": "1"}
        proc = subprocess.run(
            [sys.executable, "-c", code, str(out)], cwd=project, env=env, capture_output=True, text=True
        )
        if proc.returncode != 0:
            hint = (
                " (setuptools, the mock's build backend, must be installed in this environment: "
                "noxfile.py installs it with the site's packages)" if "No module named 'setuptools'" in proc.stderr else ""
            )
            raise WheelError(f"cannot build the mock's wheel from {rel(MOCK)}{hint}:\n{proc.stderr[-2000:]}")
        try:
            out.rename(WHEELS / key)
        except OSError:
            if not (WHEELS / key).is_dir():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in WHEELS.iterdir():  # wheels of older sources
        if old.is_dir() and old.name != key and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)


# --- a page's offline commands and files ------------------------------------------------------

def offline_listings(topic: Topic) -> list[Listing]:
    return [listing for listing in topic.listings.values() if listing.offline]


def command(listing: Listing, lang: str) -> str:
    """What a reader types to run `listing` in its folder."""
    if listing.lexer == "python":
        return f"python {listing.file}"
    return listing.path(lang).read_text(encoding="utf-8").strip("\n")


def commands(topic: Topic, lang: str) -> str:
    return "\n".join(command(listing, lang) for listing in offline_listings(topic))


def folder_name(topic: Topic) -> str:
    return posixpath.basename(topic.name)


def zip_ref(topic: Topic, lang: str) -> str:
    """Where the page's zip is served, relative to /downloads/ (like a snippet file)."""
    return f"{topic.name}/{lang}/{folder_name(topic)}.zip"


@lru_cache(maxsize=64)
def _zip(folder: Path, name: str, stamp: tuple) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            info = zipfile.ZipInfo(f"{name}/{path.name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return buf.getvalue()


def page_zip(topic: Topic, lang: str) -> bytes:
    """The page's files in `lang` (snippets/<page>/<lang>/), in a folder named after the page;
    the same bytes for the same files (cached per file version, for `mkdocs serve`)."""
    folder = topic.folder / lang
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file())
    return _zip(folder, folder_name(topic), stamp)


def zip_file(topic: Topic, lang: str) -> Path:
    """page_zip() written under build/page-zips/ (rewritten only when its bytes change)."""
    data = page_zip(topic, lang)
    path = ZIPS / zip_ref(topic, lang)
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".zip-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    return path


def block(topic: Topic, lang: str, *, page_href: str, zip_href: str) -> str:
    """The box under a page's title: where to get the mock, this page's files, its commands."""
    ui = UI[lang]
    body = ui["body"].format(page=page_href, zip=zip_href, name=f"{folder_name(topic)}.zip", folder=folder_name(topic))
    lines = [f'??? example "{ui["title"]}"', "", f"    {body}", "", "    ``` bash"]
    lines += [f"    {line}" if line else "" for line in commands(topic, lang).split("\n")]
    lines += ["    ```"]
    if any(_names_a_sweep(listing, lang) for listing in topic.listings.values() if listing.lexer == "bash"):
        lines += ["", f"    {ui['sweep_path']}"]
    return "\n".join(lines)


def _names_a_sweep(listing: Listing, lang: str) -> bool:
    return "/sweepID" in listing.path(lang).read_text(encoding="utf-8")


def wheel_link(name: str, href: str) -> str:
    return f'[{name}]({href}){{ .listing-download download="{name}" }}'


def problems(topic: Topic) -> list[str]:
    """Offline listings that a reader could not run as they are."""
    out = []
    for listing in offline_listings(topic):
        where = f"snippets/{topic.name}/listings.yml: listing {listing.key!r}"
        if listing.lexer not in RUNNABLE:
            out.append(f"{where} is marked offline, but {listing.file} is not a Python or shell file")
        if listing.wrong:
            out.append(f"{where} is marked offline and wrong: the box must show an example that works")
    return out
