"""Run a page's listings the way a reader would, against the mock SDK, and check what they print.

One mechanism for every page: a test module `tests/<page path>.py` (dashes become
underscores, `test_` prefix) asks for the `listings` fixture, which knows its page from the
module's path, and calls

    result = listings.run("sdk", lang)                # python sdk_sweep.py, in a fresh folder
    result = listings.shell(["cli-count", "cli-sweep"], lang)   # the shell listings, in order
    listings.check_output("original-output", lang, result.stdout)
    listings.check_figure("best-so-far", lang, result)   # the SVG the example drew, vs the committed one
    result.expect("wandb: WARNING Ignoring run_id", count=2)   # a warning the page means

Each run happens in a temporary copy of the listing's language folder (so relative paths
such as ./config.yaml work as on a reader's machine), with WANDB_DIR pointing at it, the mock's
seed pinned (WANDB_MOCK_SEED), Python's `random` seeded, and sockets blocked. `result.api()`
reads what the runs stored. Every listing of every page must be run or checked by some
test: the session fails otherwise (see conftest.py).

Nothing printed goes unread: every diagnostic line a run prints (see DIAGNOSTIC: the SDK's
and the mock's `wandb: WARNING`/`wandb: ERROR` lines, tracebacks, exception lines, Python
warnings, OS and shell errors), on stdout or stderr, must be read by the test, either
explicitly (`result.expect(pattern, count=n)`) or by comparing the output with a stored
output listing (`listings.check_output`, which reads every line it compares). A line left
unread fails the test at its end, naming the listing's file, the language and the line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from docskit import LANGS  # noqa: E402
from docskit.listings import Listing, Topic, rel  # noqa: E402

SEED = "0"
NO_NETWORK = Path(__file__).with_name("no_network")  # its sitecustomize.py blocks sockets
# A guard, not a wait: an example that hangs (an agent with nothing to stop it) fails its
# test instead of the whole session. Examples take a second or two; 120 s leaves room for
# a machine whose cores are all busy with other work.
TIMEOUT = 120
# How long a test waits for an event of a listing started in the background (a line
# printed, a process stopping at a breakpoint, a store row): far more than any of them
# takes on a loaded 2-core machine (an agent imports the sweep engine in a second or
# two), so that reaching it means the event will not come.
EVENT_TIMEOUT = 60
# Two SVGs are the same figure when they differ at most by this much in any number
# (coordinates are in points, 1/72 inch): the last digits of a coordinate may depend on the
# machine's floating point; everything else (ids, text, structure) must be identical.
SVG_TOLERANCE = 0.01
NUMBER = re.compile(r"(?<![\w#.-])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")

# page -> listing keys exercised, filled in as tests run, read by conftest.py at the end.
EXERCISED: dict[str, set[str]] = {}
RUNS: Counter = Counter()  # page -> number of executions
# snippet file (in snippets/) -> lines that ran, in any process of any test (see no_network/).
LINES_RUN: dict[Path, set[int]] = {}


def executable_lines(path: Path) -> set[int]:
    """Lines of a Python file that hold code the interpreter steps through."""
    lines: set[int] = set()
    todo = [compile(path.read_text(encoding="utf-8"), str(path), "exec")]
    while todo:
        code = todo.pop()
        lines.update(line for _, _, line in code.co_lines() if line)
        todo.extend(c for c in code.co_consts if hasattr(c, "co_lines"))
    return lines


def lines_never_run() -> list[str]:
    """Python listings (not the intentionally wrong ones) with lines no test executed."""
    from docskit.listings import all_listings

    out = []
    for listing in all_listings():
        if listing.lexer != "python" or listing.wrong:
            continue
        for lang in LANGS:
            path = listing.path(lang)
            if path not in LINES_RUN:
                continue  # never run at all: reported as unexercised instead
            missing = sorted(executable_lines(path) - LINES_RUN[path])
            if missing:
                out.append(f"{path.relative_to(ROOT)}: lines {', '.join(map(str, missing))} never executed")
    return out


# A diagnostic line: a warning or an error, as the SDK, the mock, Python or the shell print
# them. Each one a run prints must be read by its test (Result.expect, check_output).
DIAGNOSTIC = re.compile(
    r"^(?:"
    r"wandb: (?:WARNING|ERROR)\b"  # the SDK's termwarn/termerror (the mock's "(mock)" ones too)
    r"|Traceback \(most recent call last\):$"
    r"|(?:[A-Za-z_]\w*\.)*\w*(?:Error|Exception|Warning|Interrupt)(?::|$)"  # ValueError: ..., click's Error: ...
    r"|.*:\d+: \w*(?:Warning|Error): "  # a Python warning: <file>:<line>: <Category>: <message>
    r"|.*\[Errno \d+\]"  # an OS error: python: can't open file '...': [Errno 2] No such file...
    r"|(?:ba)?sh: "  # the shell's own errors (command not found, ...)
    r"|[\w. -]+: error: "  # argparse's usage errors (wandb agent: error: argument ...)
    r")"
)
# The mock's warning for a sweep run that ends without a number for the sweep's metric
# (tests/mock_wandb/src/wandb/_diagnostics.py). Only an example marked `wrong: true` may print it.
MISSING_METRIC = re.compile(r"^wandb: WARNING \(mock\) Run \S+ finished without a numeric value for the sweep metric ")
HOW_TO_FIX = (
    "Every warning or error a listing prints must be read by its test. Fix the example so that it "
    "no longer prints it; or, if the page means it (an example marked `wrong: true`, an error the "
    "page shows), read it in the test: result.expect(<text or re.compile(...)>, count=<n>), or "
    "compare the output with a stored output listing, listings.check_output(<key>, lang, <text>)."
)


@dataclass
class Diagnostic:
    stream: str  # "stdout" or "stderr"
    number: int  # 1-based line number in that stream
    text: str
    read: bool = False

    def __str__(self) -> str:
        return f"{self.stream} line {self.number}: {self.text}"


def diagnostics(stdout: str, stderr: str) -> list[Diagnostic]:
    return [
        Diagnostic(stream, n, line)
        for stream, text in (("stdout", stdout), ("stderr", stderr))
        for n, line in enumerate(text.splitlines(), 1)
        if DIAGNOSTIC.match(line)
    ]


@dataclass
class Result:
    args: list[str]
    cwd: Path
    env: dict[str, str]
    returncode: int
    stdout: str
    stderr: str
    lang: str = ""
    listings: tuple[Listing, ...] = ()  # the listings that ran (none for a command around them)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self):
        if not self.diagnostics:
            self.diagnostics = diagnostics(self.stdout, self.stderr)

    @property
    def wrong(self) -> bool:
        """True if one of the listings that ran is an intentionally wrong example."""
        return any(listing.wrong for listing in self.listings)

    def describe(self) -> str:
        """The snippet files that ran (or the command), and the language, for messages."""
        if self.listings:
            files = ", ".join(f"{rel(l.path(self.lang))} (listing {l.key!r})" for l in self.listings)
            return f"{files}, {self.lang}"
        return f"`{' '.join(self.args)}` ({self.lang})" if self.lang else f"`{' '.join(self.args)}`"

    def api(self):
        """A wandb.Api() (the mock's) reading the store this run wrote to."""
        import wandb

        os.environ["WANDB_DIR"] = self.env["WANDB_DIR"]
        return wandb.Api()

    def sweep_id(self) -> str:
        """The ID of the one sweep this command created, as wandb.sweep or `wandb sweep` printed it."""
        ids = re.findall(r"with ID: ([a-z0-9]{8})$", self.stdout + "\n" + self.stderr, re.M)
        assert len(ids) == 1, f"expected one sweep ID in the output, found {ids}:\n{self.stdout}\n{self.stderr}"
        return ids[0]

    def check(self, returncode: int = 0) -> Result:
        assert self.returncode == returncode, (
            f"{' '.join(self.args)} exited {self.returncode}, expected {returncode}\n"
            f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )
        return self

    def expect(self, pattern: str | re.Pattern, count: int | None = None) -> list[str]:
        """Read the diagnostic lines (warnings, errors, tracebacks...) that match `pattern`:
        a str is looked for as a substring of the line, a compiled pattern with .search().
        Asserts that `count` lines match (at least one if count is None); returns them."""
        match = pattern.search if isinstance(pattern, re.Pattern) else (lambda line: pattern in line)
        hits = [d for d in self.diagnostics if match(d.text)]
        wanted = "at least one" if count is None else str(count)
        assert (len(hits) == count) if count is not None else hits, (
            f"{self.describe()}: expected {wanted} diagnostic line(s) matching {pattern!r}, found {len(hits)}.\n"
            f"Diagnostic lines printed:\n" + ("\n".join(f"  {d}" for d in self.diagnostics) or "  (none)")
            + f"\n--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )
        self._read(hits)
        return [d.text for d in hits]

    def _read(self, lines: list[Diagnostic]) -> None:
        metric = [d for d in lines if MISSING_METRIC.match(d.text)]
        assert not metric or self.wrong, (
            f"{self.describe()}: the runs of this sweep did not log the sweep's metric as a number, "
            f"and the example is not marked `wrong: true`:\n  {metric[0]}\n"
            "A sweep example must log its sweep's metric (the `metric.name` of its configuration) as a "
            "number at the top level of wandb.log; fix the example, its configuration or its metric name."
        )
        for d in lines:
            d.read = True

    def unread(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.read]


@dataclass
class PageListings:
    """The listings of one page, and how to run them."""

    page: str  # e.g. "guides/sweeps/add-w-and-b-to-your-code.md"
    tmp: Path
    update_outputs: bool = False
    _dirs: dict[str, Path] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)  # every run of this test, in order
    used: set[str] = field(default_factory=set)  # keys of the listings this test ran or used
    _started: list[Started] = field(default_factory=list)

    @property
    def topic(self) -> Topic:
        return Topic(self.page[:-3])

    def __getitem__(self, key: str) -> Listing:
        return self.topic[key]

    def workdir(self, lang: str) -> Path:
        """A fresh copy of snippets/<page>/<lang>/ (one per language per test), without the
        figures: an example must draw them itself."""
        if lang not in self._dirs:
            src = self.topic.folder / lang
            dst = self.tmp / lang
            figures = {l.file for l in self.topic.listings.values() if l.figure}
            shutil.copytree(src, dst, ignore=lambda folder, names: [n for n in names if n in figures])
            self._dirs[lang] = dst
        return self._dirs[lang]

    def env(self, lang: str, extra: dict[str, str | None] | None = None) -> dict[str, str]:
        """The variables a listing runs with; `extra` adds or replaces some (None removes one)."""
        cwd = self.workdir(lang)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WANDB_", "COV_CORE"))}
        env.update(
            WANDB_DIR=str(cwd),  # as on a reader's machine: the store goes to ./wandb
            WANDB_MOCK_SEED=SEED,
            PYTHONHASHSEED="0",
            PYTHONPATH=os.pathsep.join(filter(None, [str(NO_NETWORK), env.get("PYTHONPATH")])),
            PYTHONIOENCODING="utf-8",
            # The mock's CLI and the scripts must come from this environment.
            PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        )
        env.update(extra or {})
        return {k: v for k, v in env.items() if v is not None}

    def _exec(self, args: list[str], lang: str, keys: list[str], env: dict | None, stdin: str | None) -> Result:
        cwd = self.workdir(lang)
        trace = Path(tempfile.mkdtemp(dir=self.tmp, prefix="trace-"))
        copies = {cwd / l.file: l.path(lang) for l in self.topic.listings.values() if l.lexer == "python"}
        full_env = self.env(lang, env)
        full_env.update(DOCS_TRACE_DIR=str(trace), DOCS_TRACE_FILES=os.pathsep.join(map(str, copies)))
        proc = subprocess.run(
            args, cwd=cwd, env=full_env, input=stdin or "", capture_output=True, text=True, timeout=TIMEOUT
        )
        for dump in trace.glob("*.json"):
            for name, lines in json.loads(dump.read_text(encoding="utf-8")).items():
                if Path(name) in copies:
                    LINES_RUN.setdefault(copies[Path(name)], set()).update(lines)
        if keys:
            self._count(keys, lang)
        return self._keep(Result(args, cwd, full_env, proc.returncode, proc.stdout, proc.stderr, lang, self._listings(keys)))

    def _listings(self, keys) -> tuple[Listing, ...]:
        return tuple(self[key] for key in keys)

    def _count(self, keys, lang: str) -> None:
        EXERCISED.setdefault(self.page, set()).update(keys)
        RUNS[self.page] += 1
        self.used.update(keys)

    def _keep(self, result: Result) -> Result:
        self.results.append(result)
        return result

    def run(self, key: str, lang: str, *, args: tuple[str, ...] = (), env: dict | None = None) -> Result:
        """Run a Python listing as `python <file>`, with Python's random module seeded."""
        listing = self[key]
        assert listing.lexer == "python", f"{key} is not a Python listing"
        boot = (
            "import random, runpy, sys; random.seed(0); "
            f"sys.argv = [{listing.file!r}, *sys.argv[1:]]; runpy.run_path({listing.file!r}, run_name='__main__')"
        )
        return self._exec([sys.executable, "-c", boot, *args], lang, [key], env, None)

    def shell(self, keys: list[str], lang: str, *, replace: dict[str, str] | None = None, env: dict | None = None) -> Result:
        """Run shell listings in one bash, in order, after replacing placeholders."""
        return self._exec(["bash", "-euo", "pipefail", "-c", self._script(keys, lang, replace)], lang, keys, env, None)

    def _script(self, keys: list[str], lang: str, replace: dict[str, str] | None) -> str:
        """The shell listings `keys`, in order, placeholders replaced: one bash script."""
        script = []
        for key in keys:
            text = self[key].path(lang).read_text(encoding="utf-8")
            for old, new in (replace or {}).items():
                text = text.replace(old, new)
            script.append(text)
        return "\n".join(script)

    def command(self, args: list[str], lang: str, *, env: dict | None = None) -> Result:
        """Run a command that is not a listing (a check around one: `wandb agent nowhere/abc`)
        in the page's work folder, with the listings' environment. Not counted as an executed
        example; what it prints is held to the same rule (read every diagnostic line)."""
        cwd = self.workdir(lang)
        full_env = self.env(lang, env)
        proc = subprocess.run(args, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=TIMEOUT)
        return self._keep(Result(list(args), cwd, full_env, proc.returncode, proc.stdout, proc.stderr, lang))

    @contextmanager
    def here(self, keys: list[str], lang: str) -> Iterator[Result]:
        """Run listings in the test's own process (a configuration passed to wandb.sweep, the
        CLI's entry point called directly, a script run with runpy from the work folder),
        capturing what they print to sys.stdout and sys.stderr, and Python warnings, into the
        Result it yields (filled in when the block ends; set its returncode yourself if a
        status matters). Counts as one execution; its diagnostic lines must be read like any
        run's. The lines of the page's Python listings (their copies in the work folder) that
        run inside the block are recorded, as in a process of their own. Output of child
        processes (which write to the file descriptors) is not captured: run those with
        `run`/`shell`."""
        import threading

        cwd = self.workdir(lang)
        copies = {os.path.abspath(cwd / l.file): l.path(lang) for l in self.topic.listings.values() if l.lexer == "python"}
        hits: dict[str, set[int]] = {}

        def local(frame, event, arg):
            if event == "line":
                hits[frame.f_code.co_filename].add(frame.f_lineno)
            return local

        def tracer(frame, event, arg):  # at each call: only the listings' code is followed
            name = frame.f_code.co_filename
            if name in copies or os.path.abspath(name) in copies:
                hits.setdefault(name, set()).add(frame.f_lineno)
                return local
            return None

        result = Result(["<in this process>"], Path.cwd(), {}, 0, "", "", lang, self._listings(keys))
        out, err = StringIO(), StringIO()
        previous = sys.gettrace()
        with warnings.catch_warnings(record=True) as caught, redirect_stdout(out), redirect_stderr(err):
            sys.settrace(tracer)
            threading.settrace(tracer)
            try:
                yield result
            finally:
                sys.settrace(previous)
                threading.settrace(None)
                for name, lines in hits.items():
                    LINES_RUN.setdefault(copies[os.path.abspath(name)], set()).update(lines)
                for w in caught:
                    err.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line))
                result.stdout, result.stderr = out.getvalue(), err.getvalue()
                result.env = dict(os.environ)
                result.diagnostics = diagnostics(result.stdout, result.stderr)
                if keys:
                    self._count(keys, lang)
                self._keep(result)

    def start(
        self,
        keys: list[str],
        lang: str,
        *,
        replace: dict[str, str] | None = None,
        env: dict | None = None,
        stop_at: tuple[str, str, int] | None = None,
    ) -> Started:
        """Start shell listings in the background, like `shell`, and return at once.

        `stop_at=(listing, target, n)`: every Python process of the example (the programs
        an agent starts, typically) stops itself the n-th time it reaches the line that
        `target` of `listing` names, before running it; `Started.stopped()` waits for the
        next such process and returns its pid. Signals sent to a stopped process are
        handled at that line once it continues (`os.kill(pid, signal.SIGCONT)`); see
        no_network/sitecustomize.py. This lets a test signal a trial at a point it chose,
        instead of racing a running one.
        """
        cwd = self.workdir(lang)
        trace = Path(tempfile.mkdtemp(dir=self.tmp, prefix="trace-"))
        stops = Path(tempfile.mkdtemp(dir=self.tmp, prefix="stops-"))
        copies = {cwd / l.file: l.path(lang) for l in self.topic.listings.values() if l.lexer == "python"}
        full_env = self.env(lang, env)
        full_env.update(DOCS_TRACE_DIR=str(trace), DOCS_TRACE_FILES=os.pathsep.join(map(str, copies)))
        if stop_at is not None:
            listing, target, nth = stop_at
            line, _ = self[listing].resolve(target, lang)
            full_env.update(DOCS_STOP_AT=f"{cwd / self[listing].file}:{line}:{nth}", DOCS_STOP_DIR=str(stops))
        args = ["bash", "-euo", "pipefail", "-c", self._script(keys, lang, replace)]
        out = tempfile.NamedTemporaryFile("w+", dir=self.tmp, prefix="stdout-", encoding="utf-8", delete=False)
        err = tempfile.NamedTemporaryFile("w+", dir=self.tmp, prefix="stderr-", encoding="utf-8", delete=False)
        proc = subprocess.Popen(
            args, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
        )
        self._count(keys, lang)
        started = Started(
            args, cwd, full_env, proc, Path(out.name), Path(err.name), stops, trace, copies, self, lang, tuple(keys)
        )
        self._started.append(started)
        return started

    def close(self) -> None:
        """After the test: kill what it started in the background and left running."""
        for started in self._started:
            started.kill()

    def sweep_created_here(self, lang: str, create: str = "create", config: str = "config") -> str:
        """Run the page's `wandb sweep ...` listing `create` in this process (in the current
        directory, which the test made the example's folder), its `config` counted as run;
        the ID of the sweep it created."""
        import shlex

        from wandb.cli import main

        argv = shlex.split(self[create].path(lang).read_text(encoding="utf-8"))
        assert argv[:2] == ["wandb", "sweep"], argv
        with self.here([create], lang) as result:
            result.returncode = main(argv[1:])
        (sweep_id,) = re.findall(r"Creating sweep with ID: (\w+)", result.check().stderr)
        self.ran(config)
        return sweep_id

    def ran(self, *keys: str) -> None:
        """Record listings that ran another way: indirectly (a config file read by `wandb
        sweep`, the program `wandb agent` launched); call it after asserting on their effect.
        Counts as one execution in the per-page summary. (What they printed belongs to the
        run that launched them, and is read there.)"""
        for key in keys:
            self[key]  # an unknown key fails here, with the known ones listed
        EXERCISED.setdefault(self.page, set()).update(keys)
        RUNS[self.page] += 1
        self.used.update(keys)

    def unread(self) -> list[str]:
        """A message for each run of this test that left diagnostic lines unread (empty if none)."""
        messages = []
        for result in self.results:
            lines = result.unread()
            if not lines:
                continue
            ran = {l.key for l in result.listings}
            others = sorted(rel(self[key].path(result.lang)) for key in self.used - ran if result.lang)
            also = f"\n  (this test also used: {', '.join(others)})" if others else ""
            messages.append(
                f"{result.describe()} printed {len(lines)} diagnostic line(s) that the test never read:{also}\n"
                + "\n".join(f"  {d}" for d in lines)
            )
        return messages

    def unread_report(self) -> str:
        """Why the test fails when a run left diagnostic lines unread, and how to fix it."""
        return "\n".join(self.unread()) + "\n" + HOW_TO_FIX

    def _read_lines(self, text: str) -> None:
        """Mark as read the unread diagnostic lines of this test's runs that `text` holds,
        as many times as it holds each (the latest runs first)."""
        wanted = Counter(text.splitlines())
        for result in reversed(self.results):
            hits = []
            for d in result.unread():
                if wanted[d.text] > 0:
                    wanted[d.text] -= 1
                    hits.append(d)
            result._read(hits)

    def check_figure(self, key: str, lang: str, result: Result) -> None:
        """Compare the SVG an example drew in its folder with the figure shown on the page
        (or rewrite it): same text but for numbers within SVG_TOLERANCE."""
        listing = self[key]
        assert listing.figure, f"{key} is not a figure"
        drawn = result.cwd / listing.file
        assert drawn.exists(), f"{' '.join(result.args)} did not write {listing.file}:\n{result.stdout}\n{result.stderr}"
        self.check_output(key, lang, drawn.read_text(encoding="utf-8"), same=same_svg)

    def check_output(self, key: str, lang: str, actual: str, same=None) -> None:
        """Compare what ran with the output listing shown on the page (or rewrite it).
        Reads every line of `actual`: a diagnostic line a run of this test printed, shown
        on the page in the stored output, is read (once per time it occurs in `actual`)."""
        path = self[key].path(lang)
        EXERCISED.setdefault(self.page, set()).add(key)
        self._read_lines(actual)
        same = same or str.__eq__
        if self.update_outputs:
            if not same(path.read_text(encoding="utf-8"), actual):
                path.write_text(actual, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        if not same(expected, actual):
            import difflib

            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(True), actual.splitlines(True), str(path.relative_to(ROOT)), "actual output"
                )
            )
            raise AssertionError(
                f"{path.relative_to(ROOT)} no longer matches what its example prints or draws "
                f"(rerun with --update-outputs if the change is intended):\n{diff}"
            )


def wait_for(predicate, what: str, timeout: float = EVENT_TIMEOUT):
    """Poll `predicate` until it returns something true, and return that; fail with `what`
    after `timeout` seconds. The polling interval is not a synchronisation: only the
    event that the predicate checks is."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.02)


def process_state(pid: int) -> str | None:
    """The state letter Linux reports for a process (R, S, T for stopped, Z...), or None
    once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat.rsplit(")", 1)[1].split()[0]


@dataclass
class Started:
    """Listings running in the background (see PageListings.start)."""

    args: list[str]
    cwd: Path
    env: dict[str, str]
    proc: subprocess.Popen
    stdout_path: Path
    stderr_path: Path
    stops: Path
    trace: Path
    copies: dict[Path, Path]
    owner: PageListings
    lang: str
    keys: tuple[str, ...]
    _seen: set[int] = field(default_factory=set)

    def stderr(self) -> str:
        """What the example has printed to standard error so far."""
        return self.stderr_path.read_text(encoding="utf-8")

    def wait_for_stderr(self, text: str, count: int = 1) -> None:
        """Wait until the example has printed `text` (`count` times) to standard error."""
        wait_for(lambda: self.stderr().count(text) >= count or self._exited(), f"{text!r} on stderr")
        assert self.stderr().count(text) >= count, f"exited before printing {text!r}:\n{self.stderr()}"

    def _exited(self) -> bool:
        return self.proc.poll() is not None

    def stopped(self) -> int:
        """Wait for the next process of the example that stopped at the breakpoint; its pid."""

        def new_stop():
            for name in sorted(self.stops.iterdir(), key=lambda p: p.stat().st_mtime_ns):
                pid = int(name.name)
                if pid not in self._seen and process_state(pid) == "T":
                    return pid
            assert not self._exited(), f"exited without stopping at the breakpoint:\n{self.stderr()}"
            return None

        pid = wait_for(new_stop, "a process stopped at the breakpoint")
        self._seen.add(pid)
        return pid

    def kill(self) -> None:
        """Kill the example's processes if they still run (a failed test leaves them)."""
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # bash and the commands it started
            self.proc.wait()
        for name in self.stops.iterdir():  # trials still stopped at the breakpoint (own groups)
            if process_state(int(name.name)) == "T":
                os.kill(int(name.name), signal.SIGKILL)

    def wait(self, timeout: float = EVENT_TIMEOUT) -> Result:
        """Wait until the example exits; its Result, like `PageListings.shell` gives."""
        try:
            returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"{' '.join(self.args)} still running after {timeout} s:\n{self.stderr()}") from None
        for dump in self.trace.glob("*.json"):
            for name, lines in json.loads(dump.read_text(encoding="utf-8")).items():
                if Path(name) in self.copies:
                    LINES_RUN.setdefault(self.copies[Path(name)], set()).update(lines)
        stdout = self.stdout_path.read_text(encoding="utf-8")
        result = Result(
            self.args, self.cwd, self.env, returncode, stdout, self.stderr(), self.lang, self.owner._listings(self.keys)
        )
        return self.owner._keep(result)


def same_svg(expected: str, actual: str) -> bool:
    """The same SVG text, numbers compared within SVG_TOLERANCE."""
    a, b = NUMBER.split(expected), NUMBER.split(actual)
    if a != b:
        return False
    x, y = NUMBER.findall(expected), NUMBER.findall(actual)
    return len(x) == len(y) and all(abs(float(u) - float(v)) <= SVG_TOLERANCE for u, v in zip(x, y))


def page_of_test(module_file: str) -> str:
    """tests/guides/sweeps/test_add_w_and_b_to_your_code.py -> guides/sweeps/add-w-and-b-to-your-code.md"""
    rel = Path(module_file).resolve().relative_to(ROOT / "tests")
    name = rel.stem.removeprefix("test_").replace("_", "-")
    return (rel.parent / f"{name}.md").as_posix()


__all__ = [
    "LANGS", "PageListings", "Result", "Diagnostic", "DIAGNOSTIC", "Started", "page_of_test", "same_svg",
    "wait_for", "process_state", "EXERCISED", "RUNS", "lines_never_run", "EVENT_TIMEOUT",
]
