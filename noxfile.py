"""Tasks of the docs project. A bare `nox` runs every gate; see README.md for each session."""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["docs", "tests", "notebooks", "conformance", "browser"]

PYTHON = "3.11"
SITE = [
    "mkdocs==1.6.1",
    "mkdocs-material==9.8.2",
    "mkdocs-static-i18n==1.3.1",
    "pymdown-extensions==13.1.2",
    "pyyaml>=6",
]
MOCK = ["-e", "tests/mock_wandb"]  # the reference mock SDK: `import wandb` and the `wandb` command
TESTS = ["pytest==9.0.3", "pytest-xdist==3.8.0"]
# Draws the figures of guides/sweeps/visualize-sweep-results; pinned, since the committed SVGs
# are compared with what it draws (tests/harness.py: check_figure).
PLOTS = ["matplotlib==3.11.2"]
NOTEBOOKS = ["nbval==0.11.0", "nbformat>=5.10", "nbclient>=0.10", "ipykernel>=6.29"]
BROWSER = ["playwright==1.65.2", "axe-playwright-python==0.1.8", "mike==2.2.0"]
REAL_WANDB = ["wandb==0.31.*"]
ENV = {"NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Strict build of both languages into site/, then the translation-drift report."""
    session.install(*SITE, *MOCK)
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", env=ENV)
    session.run("python", "tools/docskit/drift.py")


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Live preview on http://127.0.0.1:8000; reloads on page, snippet and machinery edits."""
    session.install(*SITE, *MOCK)
    session.run("mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *session.posargs, env=ENV)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Every listing of every page against the mock, the machinery's checks, the mock's own tests."""
    session.install(*SITE, *TESTS, *NOTEBOOKS[1:2], *PLOTS, *MOCK)
    # Two workers: most of the time is spent in example processes waiting on each other;
    # conftest.py merges the workers' per-page accounting before the session-wide checks.
    session.run(
        "pytest", "tests", "--ignore=tests/browser", "--ignore=tests/conformance", "-n", "2",
        *session.posargs, env=ENV,
    )


@nox.session(python=PYTHON)
def notebooks(session: nox.Session) -> None:
    """The generated notebooks are in sync with their snippets, and nbval reproduces their outputs."""
    session.install(*TESTS, *NOTEBOOKS, "pyyaml>=6", *MOCK)
    session.run("python", "tools/docskit/notebooks.py", "--check", env=ENV)
    session.run("python", "tools/docskit/notebooks.py", "--nbval", *session.posargs, env=ENV)


@nox.session(python=PYTHON)
def conformance(session: nox.Session) -> None:
    """The mock against the real wandb 0.31: signatures, exception types and messages."""
    session.install(*REAL_WANDB, "sweeps==0.2.0", "pyyaml>=6", "numpy", *TESTS)
    session.run("pytest", "tests/conformance", *session.posargs, env={**ENV, "WANDB_MODE": "offline"})


@nox.session(python=PYTHON)
def browser(session: nox.Session) -> None:
    """Playwright + Chromium on the built site, both languages (see tests/browser)."""
    session.install(*SITE, *TESTS, *BROWSER, *MOCK)
    session.run("pytest", "tests/browser", *session.posargs, env=ENV)


@nox.session(python=PYTHON)
def lighthouse(session: nox.Session) -> None:
    """Lighthouse (not part of the gate): one page of each kind, both languages, served with gzip;
    writes tools/lighthouse/results/ and the README's Lighthouse table (see tools/lighthouse/run.py)."""
    session.install(*SITE, *MOCK)
    # npm's lighthouse, pinned by tools/lighthouse/package-lock.json (node_modules/ is ignored)
    session.run("npm", "ci", "--prefix", "tools/lighthouse", "--no-audit", "--no-fund", external=True)
    session.run("python", "tools/lighthouse/run.py", *session.posargs, env=ENV)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks (not part of the gate): writes tools/bench/results/latest.json and .md."""
    session.install(*SITE, *TESTS, *MOCK, "pytest-xdist==3.8.0")
    session.run("python", "tools/bench/run.py", *session.posargs, env={**ENV, "BENCH_NOX": os.environ.get("BENCH_NOX", "")})
