"""The real site: `mkdocs build --strict`, and the `nox -s serve` rebuild after a snippet edit.

(Named site_build.py, not site.py: a module called `site` would shadow Python's own.)

- build: whole-process wall time of `python -m mkdocs build --strict` into a temporary
  folder, median of N (after one warm-up run that is not counted), plus the times MkDocs
  itself reports ("Documentation built in X seconds", one line per language build with
  mkdocs-static-i18n).
- serve: `mkdocs serve --dev-addr 127.0.0.1:<free port>` (the command of the serve
  session) on a temporary copy of the project (so that the edit never touches the files
  other people are working on), then N times: append a comment line to a Python snippet,
  and time from the edit to the server's "Reloading browsers" line (the rebuild is done
  and browsers are told to reload), split into detection (edit -> "Detected file changes";
  MkDocs polls files every 0.5 s and waits 0.1 s for more changes) and rebuild ("Building
  documentation..." -> "Reloading browsers"). The snippet is restored after each edit
  (and its rebuild awaited), and the server is stopped, even on failure.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, clean_env, free_port, log, run_timed, stats, tail

BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")


def build(n: int = 3, root: Path = ROOT, site_dir: Path | None = None, fallback: bool = True) -> dict:
    """Strict build timings; if the strict build fails, the failure plus a --no-strict timing."""
    out = _build(n, root, site_dir, "--strict")
    if not out["ok"] and fallback:
        log("the strict build fails: timing a --no-strict build instead, for information")
        out["no_strict"] = _build(n, root, site_dir, "--no-strict")
    return out


def _build(n: int, root: Path, site_dir: Path | None, strict: str) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-site-"))
    site = site_dir or tmp / "site"
    args = [sys.executable, "-m", "mkdocs", "build", strict, "--site-dir", str(site)]
    walls, inner, failures = [], [], []
    try:
        log(f"mkdocs build {strict} in {root}: 1 warm-up + N={n}")
        for i in range(n + 1):
            r = run_timed(args, cwd=root, env=clean_env(), timeout=900)
            if r["rc"] != 0:
                failures.append(f"rc={r['rc']}: {tail(r['stderr'] + r['stdout'], 12)}")
                if i == 0:
                    break  # it fails already: do not repeat it
                continue
            if i == 0:
                continue
            walls.append(r["wall"])
            inner.append(sum(float(x) for x in BUILT.findall(r["stderr"] + r["stdout"])))
        pages = len(list(site.rglob("*.html"))) if site.exists() else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = {"command": f"mkdocs build {strict}", "process": stats(walls), "reported_by_mkdocs": stats(inner),
           "html_files": pages, "ok": not failures and bool(walls)}
    if failures:
        out["failures"] = failures
        m = re.search(r"Aborted with (\d+) warnings", "\n".join(failures))
        out["warnings"] = int(m[1]) if m else None
    return out


def _copy_project(dst: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", ".nox", "site", ".git", "*.pyc", "results")
    for name in ("mkdocs.yml", "docs", "snippets", "tools"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=ignore)
        elif src.exists():
            shutil.copy2(src, dst / name)


def _snippet_to_edit(root: Path) -> Path | None:
    """The English file of the first Python listing of the first page that has listings."""
    import yaml

    for yml in sorted((root / "snippets").rglob("listings.yml")):
        data = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
        for spec in data.values():
            if isinstance(spec, dict) and str(spec.get("file", "")).endswith(".py"):
                path = yml.parent / "en" / spec["file"]
                if path.exists():
                    return path
    files = sorted((root / "snippets").rglob("*.py"))
    return files[0] if files else None


class _Server:
    def __init__(self, root: Path, port: int, extra: list[str]):
        self.lines: list[tuple[float, str]] = []
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *extra],
            cwd=root, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append((time.perf_counter(), line.rstrip()))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_for(self, pattern: str, after: float, timeout: float) -> float | None:
        """Time of the first line containing `pattern` logged after `after`."""
        deadline = time.perf_counter() + timeout
        with self.cond:
            while True:
                for t, line in self.lines:
                    if t >= after and pattern in line:
                        return t
                if self.proc.poll() is not None and not self.reader.is_alive():
                    return None
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                self.cond.wait(min(left, 0.05))

    def first_after(self, pattern: str, after: float) -> float | None:
        with self.cond:
            return next((t for t, line in self.lines if t >= after and pattern in line), None)

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGINT)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.reader.join(timeout=5)

    def log_tail(self, n=15) -> str:
        with self.cond:
            return "\n".join(line for _, line in self.lines[-n:])


def serve_rebuild(n: int = 5, fallback: bool = True) -> dict:
    """Rebuild timings of the serve session; if it cannot start strict, also a --no-strict run."""
    out = _serve_rebuild(n, [])
    if not out.get("ok") and fallback and not out.get("timings_exist"):
        log("serve fails in strict mode: timing `mkdocs serve --no-strict` instead, for information")
        out["no_strict"] = _serve_rebuild(n, ["--no-strict"])
    return out


def _serve_rebuild(n: int, extra: list[str]) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    out: dict = {"command": " ".join(["mkdocs serve --dev-addr 127.0.0.1:<free port>", *extra]) + " (as `nox -s serve`)",
                 "where": "a temporary copy of mkdocs.yml, docs/, snippets/ and tools/"}
    server = None
    snippet, original = None, None
    try:
        _copy_project(tmp)
        snippet = _snippet_to_edit(tmp)
        if snippet is None:
            return {**out, "ok": False, "failures": ["no snippet file to edit"]}
        original = snippet.read_bytes()
        out["edited"] = snippet.relative_to(tmp).as_posix()
        port = free_port()
        log(f"mkdocs serve on 127.0.0.1:{port}; {n} edits of {out['edited']}")
        t0 = time.perf_counter()
        server = _Server(tmp, port, extra)
        if server.wait_for("Serving on", t0, 300) is None:
            return {**out, "ok": False, "failures": [f"the server did not start:\n{server.log_tail()}"]}
        out["startup_seconds"] = round(time.perf_counter() - t0, 3)
        totals, detects, rebuilds, failures = [], [], [], []
        for i in range(n):
            time.sleep(1.5)  # let the polling observer settle
            t_edit = time.perf_counter()
            snippet.write_bytes(original + f"# bench: edit {i}\n".encode())
            done = server.wait_for("Reloading browsers", t_edit, 120)
            err = server.first_after("An error happened during the rebuild", t_edit)
            if done is None or err is not None:
                failures.append(f"edit {i}: no rebuild finished\n{server.log_tail()}")
                snippet.write_bytes(original)
                break
            detected = server.first_after("Detected file changes", t_edit)
            started = server.first_after("Building documentation", t_edit)
            totals.append(done - t_edit)
            if detected is not None:
                detects.append(detected - t_edit)
            if started is not None:
                rebuilds.append(done - started)
            time.sleep(0.5)
            t_restore = time.perf_counter()
            snippet.write_bytes(original)
            server.wait_for("Reloading browsers", t_restore, 120)
        out.update({
            "edit_to_reload": stats(totals),
            "edit_to_detected": stats(detects),
            "rebuild": stats(rebuilds),
            "ok": bool(totals) and not failures,
        })
        if failures:
            out["failures"] = failures
        return out
    except Exception as exc:  # report, never crash the bench
        return {**out, "ok": False, "failures": [repr(exc)]}
    finally:
        if snippet is not None and original is not None:
            snippet.write_bytes(original)
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def profile_build(root: Path = ROOT, top: int = 30) -> dict:
    """cProfile of one `mkdocs build --strict`: where the time goes."""
    import pstats

    tmp = Path(tempfile.mkdtemp(prefix="bench-prof-site-"))
    try:
        prof = tmp / "build.prof"
        r = run_timed([sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "mkdocs", "build", "--strict",
                       "--site-dir", str(tmp / "site")], cwd=root, env=clean_env(), timeout=900)
        if not prof.exists():
            return {"error": f"rc={r['rc']}: {tail(r['stderr'])}"}
        st = pstats.Stats(str(prof))
        total = st.total_tt
        rows = []
        for (file, line, fn), (cc, nc, tt, ct, callers) in st.stats.items():
            rows.append({"function": f"{_short(file)}:{line}({fn})", "ncalls": nc, "tottime": round(tt, 3),
                         "cumtime": round(ct, 3)})
        rows.sort(key=lambda r: -r["cumtime"])
        keys = ("docskit", "mkdocs_static_i18n", "commands/build.py", "pymdownx", "material", "markdown/core")
        focus = [r for r in rows if any(k in r["function"] for k in keys)][:top]
        self_rows = sorted(rows, key=lambda r: -r["tottime"])[:15]
        return {"command": "python -m cProfile -m mkdocs build --strict", "wall": round(r["wall"], 3),
                "profiled_total": round(total, 3), "top_cumulative_in_build_code": focus,
                "top_self_time": self_rows}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _short(file: str) -> str:
    for marker in ("site-packages/", "/tools/", "/lib/python3"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file
