"""Fixtures shared by the doc tests, and the session-wide guarantees of the gate.

- `lang` runs a test once per language;
- `listings` gives the test its page's listings (found from the test module's path);
- `--update-outputs` rewrites the stored outputs shown on the pages instead of comparing;
- a test whose runs printed a warning or error line it never read fails (tests/harness.py);
- at the end, the session fails if some listing of some page was never run or checked,
  or if a line of a Python listing never ran in any of its executions (intentionally
  wrong examples excepted), and prints how many examples it executed per page.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness import EXERCISED, LANGS, LINES_RUN, RUNS, SEED, PageListings, lines_never_run, page_of_test
from docskit.listings import all_topics


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs", action="store_true", help="rewrite the stored example outputs shown on the pages"
    )


@pytest.fixture(params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture
def mock_wandb(tmp_path, monkeypatch):
    """The mock SDK in this process, on a fresh store in tmp_path, with no WANDB_* variable
    from the caller's environment; runs are torn down afterwards. For checks around the
    examples (argument errors, in-process sampling) that need no subprocess."""
    import wandb

    for key in [k for k in os.environ if k.startswith("WANDB_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("WANDB_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    yield wandb
    wandb.teardown()


@pytest.fixture
def seeded_mock(mock_wandb, monkeypatch):
    """mock_wandb, seeded like the harness seeds the examples' processes (WANDB_MOCK_SEED):
    for sampling a configuration in this process (inprocess.sample_here, wandb_sweep_here)."""
    monkeypatch.setenv("WANDB_MOCK_SEED", SEED)
    return mock_wandb


@pytest.fixture
def listings(request, tmp_path) -> PageListings:
    page = page_of_test(request.module.__file__)
    pl = PageListings(page, tmp_path, update_outputs=request.config.getoption("--update-outputs"))
    yield pl
    pl.close()  # what a test started in the background and left running


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a test's body passed: every diagnostic line its runs printed must have been read."""
    result = yield
    listings = getattr(item, "funcargs", {}).get("listings")
    if isinstance(listings, PageListings) and listings.unread():
        pytest.fail(listings.unread_report(), pytrace=False)
    return result


def _unexercised() -> list[str]:
    missing = []
    for topic in all_topics():
        page = f"{topic.name}.md"
        for key, listing in topic.listings.items():
            if key not in EXERCISED.get(page, set()):
                missing.append(f"snippets/{topic.name}/*/{listing.file} (listing {key!r} of docs/*/{page})")
    return missing


PAGES_COLLECTED: set[str] = set()  # pages whose test module this session collected


def pytest_collection_finish(session):
    PAGES_COLLECTED.update(page_of_test(str(item.path)) for item in session.items if item.path.name.startswith("test_"))


def _ran_every_page_test(session) -> bool:
    """True when the session collected and ran the test module of every page, unfiltered."""
    opts = session.config.option
    if opts.keyword or opts.markexpr or getattr(opts, "lf", False) or session.testsfailed:
        return False
    return all(f"{t.name}.md" in PAGES_COLLECTED for t in all_topics())


# With pytest-xdist (`-n 2`), each worker keeps its own accounting: workers send theirs
# to the controller, which merges it and applies the session-wide checks.
@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    data = json.loads(node.workeroutput.get("docs", "{}") or "{}")
    for page, keys in data.get("exercised", {}).items():
        EXERCISED.setdefault(page, set()).update(keys)
    RUNS.update(data.get("runs", {}))
    for path, lines in data.get("lines", {}).items():
        LINES_RUN.setdefault(Path(path), set()).update(lines)
    PAGES_COLLECTED.update(data.get("pages", []))


def pytest_sessionfinish(session, exitstatus):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the accounting over, check nothing
        workeroutput["docs"] = json.dumps({
            "exercised": {page: sorted(keys) for page, keys in EXERCISED.items()},
            "runs": dict(RUNS),
            "lines": {str(path): sorted(lines) for path, lines in LINES_RUN.items()},
            "pages": sorted(PAGES_COLLECTED),
        })
        return
    if exitstatus == 0 and _ran_every_page_test(session):
        missing = _unexercised() + lines_never_run()
        if missing:
            session.config._docs_missing = missing
            session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if RUNS:
        terminalreporter.section("examples executed per page")
        for page in sorted(RUNS):
            terminalreporter.write_line(
                f"docs/{{en,es}}/{page}: {RUNS[page]} executions, "
                f"{len(EXERCISED.get(page, ()))} listings exercised"
            )
    missing = getattr(config, "_docs_missing", None)
    if missing:
        terminalreporter.section("listings or lines never executed or checked", red=True)
        for line in missing:
            terminalreporter.write_line(line, red=True)
