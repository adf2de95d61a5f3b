"""Tasks of the docs project. A bare `nox` runs every gate; see README.md for each session."""

from __future__ import annotations

import contextlib
import glob
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nox
from nox.virtualenv import find_uv

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True
# The gate, in this order: the light sessions side by side (each leaves much of the
# machine idle: waiting on subprocesses, or one process at a time), then the three heavy
# ones one at a time, alone (each keeps every core busy). With --parallel, nox runs a
# session that does not allow parallel execution only when no other session runs, and
# prints each session's output whole when it ends. Only for the gate itself (no session
# named): `nox -s tests` streams its output as usual. `-j 1` runs the gate one by one.
nox.options.sessions = ["docs", "mock", "notebooks", "conformance", "tests", "real-sdk", "browser"]
# Sessions at once: one per core and one more (tools/bench/gate.py times the gate with as many).
GATE_JOBS = (os.cpu_count() or 1) + 1
SESSION_OPTIONS = ("-s", "-e", "--session", "--sessions")  # nox's options that name sessions
if not any(arg in SESSION_OPTIONS or arg.startswith(("--session=", "--sessions=")) for arg in sys.argv[1:]):
    nox.options.parallel = GATE_JOBS
LIGHT = {"allow_parallel": True}  # the sessions run side by side

# Every session runs on the interpreter that runs nox (`python3 noxw.py`: the machine's
# python3, any of 3.10 to 3.14), except `mock`, which runs the mock's unit tests on each
# other supported CPython found on the machine, and on a 3.10 the sessions of the site
# (see site_python).
SUPPORTED = ["3.10", "3.11", "3.12", "3.13", "3.14"]


def other_pythons() -> dict[str, str]:
    """Supported CPythons other than nox's own, found on PATH or installed by pyenv:
    version -> interpreter. (A pyenv shim for a version that is not selected fails when
    run, so each candidate is tried.)"""
    own = f"{sys.version_info[0]}.{sys.version_info[1]}"
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = {}
    for version in SUPPORTED:
        if version == own:
            continue
        candidates = [shutil.which(f"python{version}")]
        candidates += sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", f"python{version}")), reverse=True)
        for path in filter(None, candidates):
            try:
                ok = subprocess.run([path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                    capture_output=True, text=True, timeout=30).stdout.strip() == version
            except (OSError, subprocess.SubprocessError):
                ok = False
            if ok:
                found[version] = path
                break
    return found


OTHER_PYTHONS = other_pythons()


def nox_uv() -> str:
    """The uv that nox makes the sessions' environments with: its cache holds their packages,
    from which tests/guides/sweeps/test_try_offline.py installs the mock's wheel offline."""
    try:
        from nox.virtualenv import find_uv

        has_uv, uv, _ = find_uv()
    except Exception:  # noqa: BLE001 - another nox: uv on PATH, if any
        has_uv, uv = True, "uv"
    return (shutil.which(uv) or "") if has_uv else ""

SITE = [
    "mkdocs==1.6.1",
    "mkdocs-material==9.8.2",
    "mkdocs-static-i18n==1.3.1",
    # 12.3: the newest release that installs on Debian 12's Python 3.11.2 (13.x needs 3.11.5);
    # the site it builds is byte for byte the one 13.1.2 builds.
    "pymdown-extensions==12.3",
    "pyyaml>=6",
    # The mock's build backend: the build turns tests/mock_wandb into the wheel the site
    # offers (tools/docskit/offline.py), with no download at build time.
    "setuptools==84.2.1",
]
MOCK = ["-e", "tests/mock_wandb"]  # the reference mock SDK: `import wandb` and the `wandb` command
TESTS = ["pytest==9.0.3", "pytest-xdist==3.8.0"]
# Draws the figures of guides/sweeps/visualize-sweep-results; pinned, since the committed SVGs
# are compared with what it draws (tests/harness.py: check_figure).
PLOTS = ["matplotlib==3.11.2"]
NOTEBOOKS = ["nbval==0.11.0", "nbformat>=5.10", "nbclient>=0.10", "ipykernel>=6.29"]
BROWSER = ["playwright==1.65.2", "axe-playwright-python==0.1.8", "mike==2.2.0"]
REAL_WANDB = ["wandb==0.31.*"]
# What the listings import besides wandb (the real-sdk session installs it on both sides).
LISTING_DEPS = ["pyyaml>=6", "numpy", *PLOTS]


def site_python() -> str | None:
    """MkDocs Material 9.8.2 (SITE) and matplotlib 3.11.2 (PLOTS, which draws the committed
    figures) need Python 3.11 or later: on an older python3 (3.10) the sessions that build
    the site or draw the figures run on the oldest supported CPython of 3.11 or later that
    the machine has (PATH or pyenv). None: nox's own interpreter."""
    if sys.version_info >= (3, 11):
        return None
    newer = [path for version, path in OTHER_PYTHONS.items() if tuple(map(int, version.split("."))) >= (3, 11)]
    return newer[0] if newer else "3.11"  # none: nox says that it found no 3.11


SITE_PYTHON = site_python()


def mock_pythons() -> dict[str, str]:
    """Every supported CPython of this machine but the one `tests` runs on (which runs the
    mock's unit tests there): version -> interpreter."""
    own = f"{sys.version_info[0]}.{sys.version_info[1]}"
    found = {own: sys.executable, **OTHER_PYTHONS}
    tested = own if SITE_PYTHON is None else next((v for v, p in OTHER_PYTHONS.items() if p == SITE_PYTHON), None)
    return {v: found[v] for v in SUPPORTED if v in found and v != tested}


MOCK_PYTHONS = mock_pythons()
ENV = {
    "NO_MKDOCS_2_WARNING": "1",
    "PYTHONHASHSEED": "0",
    # Let Python cache compiled modules (__pycache__, ignored by git) in the session's
    # environment and the repository: with PYTHONDONTWRITEBYTECODE set (some machines and
    # containers set it), every process compiles every module it imports from source again
    # (numpy 0.1 s -> 0.35 s; a sweep-engine process 0.27 s -> 0.65 s of CPU).
    "PYTHONDONTWRITEBYTECODE": None,  # None: removed from the sessions' environment
}


@contextlib.contextmanager
def mock_install_lock():
    """One session at a time installs the mock: its editable build writes
    tests/mock_wandb/src/*.egg-info, which two builds side by side could leave half-written."""
    try:
        import fcntl
    except ImportError:  # not POSIX: nothing to lock with (and nothing to run side by side)
        yield
        return
    Path(".nox").mkdir(exist_ok=True)
    with open(".nox/mock-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def install_with_mock(session: nox.Session, *packages: str) -> None:
    with mock_install_lock():
        session.install(*packages, *MOCK)


@nox.session(python=SITE_PYTHON, **LIGHT)
def docs(session: nox.Session) -> None:
    """Strict build of both languages into site/, then the translation-drift report."""
    install_with_mock(session, *SITE)
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", env=ENV)
    session.run("python", "tools/docskit/drift.py")


@nox.session(python=SITE_PYTHON)
def serve(session: nox.Session) -> None:
    """Live preview on http://127.0.0.1:8000; reloads on page, snippet and machinery edits."""
    session.install(*SITE, *MOCK)
    session.run("mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *session.posargs, env=ENV)


@nox.session(python=SITE_PYTHON)
def tests(session: nox.Session) -> None:
    """Every listing of every page against the mock, the machinery's checks, the mock's own tests."""
    session.install(*SITE, *TESTS, *NOTEBOOKS[1:2], *PLOTS, *MOCK)
    # Two workers, one per core (the tests' time is the example processes they start);
    # conftest.py merges the workers' per-page accounting before the session-wide checks.
    # worksteal: a worker that runs out of tests takes some of the other's, instead of
    # idling while the other works through a queue of long tests (30 s of 85 with "load").
    session.run(
        "pytest", "tests", "--ignore=tests/browser", "--ignore=tests/conformance", "-n", "2", "--dist", "worksteal",
        *session.posargs, env={**ENV, "UV": nox_uv()},
    )


if MOCK_PYTHONS:

    @nox.session(**LIGHT)
    @nox.parametrize("python", list(MOCK_PYTHONS.values()), ids=list(MOCK_PYTHONS))
    def mock(session: nox.Session) -> None:
        """The mock's unit tests on each other supported CPython of this machine (the tests
        session runs them on its own interpreter)."""
        install_with_mock(session, *TESTS)
        session.run("pytest", "tests/mock_wandb/tests", "-n", "2", "-p", "no:cacheprovider", *session.posargs, env=ENV)

else:

    @nox.session(name="mock", **LIGHT)
    def mock_alone(session: nox.Session) -> None:
        """No other supported CPython on this machine: says so (the tests session ran the
        mock's unit tests on nox's own interpreter)."""
        session.log(
            f"no supported CPython other than {sys.version.split()[0]} found (looked for "
            f"{', '.join(SUPPORTED)} on PATH and in pyenv): the mock's unit tests ran in `tests` only"
        )


@nox.session(**LIGHT)
def notebooks(session: nox.Session) -> None:
    """The generated notebooks are in sync with their snippets, and nbval reproduces their outputs."""
    install_with_mock(session, *TESTS, *NOTEBOOKS, "pyyaml>=6")
    session.run("python", "tools/docskit/notebooks.py", "--check", env=ENV)
    session.run("python", "tools/docskit/notebooks.py", "--nbval", *session.posargs, env=ENV)


@nox.session(**LIGHT)
def conformance(session: nox.Session) -> None:
    """The mock against the real wandb 0.31: signatures, exception types and messages."""
    session.install(*REAL_WANDB, "sweeps==0.2.0", "pyyaml>=6", "numpy", *TESTS)
    session.run("pytest", "tests/conformance", *session.posargs, env={**ENV, "WANDB_MODE": "offline"})


@nox.session(name="real-sdk", python=SITE_PYTHON)
def real_sdk(session: nox.Session) -> None:
    """Every listing of every page on the real wandb 0.31 (offline) too, compared with the mock
    (tests/real_sdk; options after --, e.g. `--only ref/python/init`)."""
    session.install(*REAL_WANDB, *LISTING_DEPS)
    # The mock side gets an environment of its own, inside this session's: the mock and the
    # real wandb are both the package `wandb` and never share an environment.
    mock = Path(session.virtualenv.location) / "mock"
    python = mock / "bin" / "python"
    session_python = Path(session.virtualenv.location) / "bin" / "python"
    has_uv, uv = find_uv()[:2]  # the uv nox itself uses (noxw.py does not put it on PATH)
    if has_uv:
        session.run_install(uv, "venv", "--quiet", "--allow-existing", "--python", session_python, mock, external=True)
        session.run_install(uv, "pip", "install", "--quiet", "--python", python, *MOCK, *LISTING_DEPS, external=True)
    else:
        session.run_install(session_python, "-m", "venv", mock, external=True)
        session.run_install(python, "-m", "pip", "install", "--quiet", *MOCK, *LISTING_DEPS, external=True)
    session.run("python", "tests/real_sdk/compare.py", "--mock-python", str(python), *session.posargs, env=ENV)


@nox.session(python=SITE_PYTHON)
def browser(session: nox.Session) -> None:
    """Playwright + Chromium on the built site, both languages (see tests/browser)."""
    session.install(*SITE, *TESTS, *BROWSER, *MOCK)
    session.run("pytest", "tests/browser", *session.posargs, env=ENV)


@nox.session(python=False)
def underload(session: nox.Session) -> None:
    """Not part of the gate: `tests` and `browser` three times in a row while one CPU hog per
    core keeps the machine busy (tools/underload.py; options after --)."""
    session.run(sys.executable, "tools/underload.py", *session.posargs, external=True)


@nox.session(python=SITE_PYTHON)
def lighthouse(session: nox.Session) -> None:
    """Lighthouse (not part of the gate): one page of each kind, both languages, served with gzip;
    writes tools/lighthouse/results/ and the README's Lighthouse table (see tools/lighthouse/run.py)."""
    session.install(*SITE, *MOCK)
    # npm's lighthouse, pinned by tools/lighthouse/package-lock.json (node_modules/ is ignored)
    session.run("npm", "ci", "--prefix", "tools/lighthouse", "--no-audit", "--no-fund", external=True)
    session.run("python", "tools/lighthouse/run.py", *session.posargs, env=ENV)


@nox.session(python=SITE_PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks (not part of the gate): writes tools/bench/results/latest.json and .md."""
    session.install(*SITE, *TESTS, *MOCK, "pytest-xdist==3.8.0")
    # The gate's sessions are timed with the nox that runs this one (noxw.py's, which is on no PATH).
    nox_itself = os.environ.get("BENCH_NOX") or f"{shlex.quote(sys.executable)} -m nox"
    session.run("python", "tools/bench/run.py", *session.posargs, env={**ENV, "BENCH_NOX": nox_itself})
