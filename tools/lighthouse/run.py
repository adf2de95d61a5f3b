"""Lighthouse on the built site, one page of each kind in both languages (`nox -s lighthouse`).

    python tools/lighthouse/run.py               # build, serve with gzip, run Lighthouse, write results
    python tools/lighthouse/run.py --runs 5      # five runs per page instead of three
    python tools/lighthouse/run.py --no-readme   # leave README.md alone

The site is built with `mkdocs build --strict` into build/lighthouse/site and served on
127.0.0.1 as a static host serves it: gzip for text, `Cache-Control: max-age=600` (GitHub
Pages' value), HTTP/1.1 keep-alive. Lighthouse (npm, pinned in tools/lighthouse/package.json;
`npm ci --prefix tools/lighthouse` installs it) runs in its default mode (mobile, simulated
slow 4G and 4x CPU slowdown) with Debian's Chromium, one page at a time.

Each page is run three times (--runs) and judged on its median run, chosen as Lighthouse's
own `computeMedianRun` chooses it (lighthouse/core/lib/median-run.js: the run nearest to the
median first contentful paint and the median time to interactive, ties to the lower time to
interactive), because one run's performance score varies by several points on a shared
machine (Lighthouse's docs/variability.md: the median of 5 runs is twice as stable as one).
The table shows the median run of each page and the performance score of every run.

Writes tools/lighthouse/results/latest.json (scores, metrics, failing audits, main-thread
work by kind and by script, per page and run) and latest.md, and rewrites README.md between
<!-- lighthouse:start --> and <!-- lighthouse:end -->. Exits 1, after writing everything, when
a page's median run misses a target (performance >= 95, accessibility, best practices and SEO 100). The
scores depend on the machine's load: the table says the load average at the start of each run.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import platform
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = HERE / "results"
SITE = ROOT / "build" / "lighthouse" / "site"
REPORTS = ROOT / "build" / "lighthouse" / "reports"  # Lighthouse's full JSON reports (ignored by git)
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
PAGES = [  # (kind, path of the English page); the Spanish one is under /es/
    ("home", "/"),
    ("guide", "/guides/sweeps/add-w-and-b-to-your-code/"),
    ("configuration", "/guides/sweeps/define-sweep-configuration/"),
    ("config-options", "/guides/sweeps/sweep-configuration-options/"),
    ("Python reference", "/ref/python/sweep/"),
    ("CLI reference", "/ref/cli/wandb-sweep/"),
]
METRICS = [  # (audit id, column)
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
    ("speed-index", "SI"),
    ("interactive", "TTI"),
]
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Files as they are, gzip-compressed when the client accepts it and the type is text,
    with a short cache lifetime, as common static hosts answer."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        if (
            not os.path.isfile(path)
            or "gzip" not in self.headers.get("Accept-Encoding", "")
            or not ctype.startswith(GZIP_TYPES)
        ):
            return super().send_head()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(os.stat(path).st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


def serve(root: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(StaticHost, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(site_url: str) -> None:
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(SITE)],
        cwd=ROOT, env=env, check=True,
    )


def lighthouse(url: str, out: Path) -> dict:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci --prefix {HERE.relative_to(ROOT)}` (nox -s lighthouse does)")
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}", "--quiet"]
    subprocess.run(cmd, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def summary(report: dict) -> dict:
    """What the table and latest.json keep of one Lighthouse report."""
    audits = report["audits"]
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    metrics = {col: audits[a]["numericValue"] for a, col in METRICS}
    failing = []  # as Lighthouse's report marks them: a failed check, or a metric below 0.9 (not green)
    for cat in report["categories"].values():
        for ref in cat["auditRefs"]:
            a = audits[ref["id"]]
            score = a.get("score")
            if score is None or ref.get("weight", 0) == 0:
                continue
            if score < (1 if a.get("scoreDisplayMode") == "binary" else 0.9):
                failing.append({"id": ref["id"], "category": cat["id"], "score": score,
                                "value": a.get("displayValue", "")})
    work = {i["group"]: round(i["duration"]) for i in audits["mainthread-work-breakdown"]["details"]["items"]}
    scripts = [
        {"url": i["url"].split("/", 3)[-1] if "://" in i["url"] else i["url"], "total": round(i["total"]),
         "scripting": round(i["scripting"])}
        for i in audits["bootup-time"]["details"]["items"]
    ]
    return {
        "scores": scores,
        "metrics": metrics,
        "dom_size": audits["dom-size"]["numericValue"],
        "main_thread_ms": round(audits["mainthread-work-breakdown"]["numericValue"]),
        "main_thread_by_kind": work,
        "scripts": scripts,
        "failing": failing,
        "lighthouse": report["lighthouseVersion"],
        "user_agent": report["environment"]["hostUserAgent"],
    }


def median_run(runs: list[dict]) -> dict:
    """Lighthouse's computeMedianRun (core/lib/median-run.js), on our summaries: the run whose
    FCP and TTI are nearest to the medians of the page's runs; ties to the lowest TTI."""
    from statistics import median

    fcp = median([r["summary"]["metrics"]["FCP"] for r in runs])
    tti = median([r["summary"]["metrics"]["TTI"] for r in runs])
    return min(runs, key=lambda r: ((fcp - r["summary"]["metrics"]["FCP"]) ** 2 + (tti - r["summary"]["metrics"]["TTI"]) ** 2,
                                    r["summary"]["metrics"]["TTI"]))


def medians(res: dict) -> list[dict]:
    """The median run of each page, in the order of the runs."""
    pages: dict = {}
    for r in res["runs"]:
        pages.setdefault(r["path"], []).append(r)
    return [median_run(runs) for runs in pages.values()]


def misses(s: dict) -> list[str]:
    return [f"{k} {s['scores'][k]} < {v}" for k, v in TARGETS.items() if s["scores"].get(k, 0) < v]


def fmt_ms(ms: float) -> str:
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms:.0f} ms"


def table(res: dict) -> str:
    head = ("| page | lang | perf, every run | median run | load | perf | a11y | best pr. | SEO | FCP | LCP | TBT "
            "| CLS | SI | DOM | main thread (style+layout) | failing audits |")
    rows = [head, "|" + " --- |" * (head.count("|") - 1)]
    for r in medians(res):
        every = ", ".join(str(x["summary"]["scores"]["performance"]) for x in res["runs"] if x["path"] == r["path"])
        s = r["summary"]
        sc = s["scores"]
        m = s["metrics"]
        failing = ", ".join(f"`{f['id']}`" for f in s["failing"]) or "none"
        miss = misses(s)
        cells = [
            r["kind"], r["lang"], every, str(r["run"]), f"{r['load']:.2f}",
            *(f"**{sc[k]}**" if sc[k] < TARGETS[k] else str(sc[k]) for k in TARGETS),
            fmt_ms(m["FCP"]), fmt_ms(m["LCP"]), fmt_ms(m["TBT"]), f"{m['CLS']:.3f}", fmt_ms(m["SI"]),
            str(int(s["dom_size"])),
            f"{fmt_ms(s['main_thread_ms'])} ({fmt_ms(s['main_thread_by_kind'].get('styleLayout', 0))})",
            failing + (f" (misses: {'; '.join(miss)})" if miss else ""),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def markdown(res: dict) -> str:
    ok = all(not misses(r["summary"]) for r in medians(res))
    lines = [
        f"Last run {res['date']} (`{res['command']}`), Lighthouse {res['runs'][0]['summary']['lighthouse']} "
        f"(default mobile mode: simulated slow 4G, 4x CPU slowdown) with {res['chromium']}, "
        f"site served on 127.0.0.1 with gzip. Machine: {res['machine']}; load average (1 min) at the start "
        f"of each run shown (2 = both cores busy). Each page ran {res.get('runs_per_page', 1)} times; a row is "
        f"its median run (Lighthouse's computeMedianRun). Targets: performance >= 95, accessibility, "
        f"best practices, SEO 100 on every row: **{'all met' if ok else 'missed'}**.",
        "",
        table(res),
        "",
        "Main thread and scripts per page (Lighthouse's mainthread-work-breakdown and bootup-time), "
        "and the full reports: `tools/lighthouse/results/latest.md`, `latest.json`.",
    ]
    return "\n".join(lines) + "\n"


def details(res: dict) -> str:
    out = [markdown(res), "## Main-thread work by kind (ms) and by script", ""]
    for r in res["runs"]:
        s = r["summary"]
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(s["main_thread_by_kind"].items(), key=lambda kv: -kv[1]))
        scripts = "; ".join(f"{x['url']} {x['total']} ({x['scripting']} scripting)" for x in s["scripts"])
        out.append(f"- {r['kind']} ({r['lang']}), run {r['run']}: {kinds}. Scripts: {scripts or 'none over 50 ms'}")
    return "\n".join(out) + "\n"


def write_readme(res: dict, readme: Path = ROOT / "README.md") -> bool:
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return False
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{markdown(res)}{END}{tail}", encoding="utf-8")
    return True


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page, judged on the median run (default 3)")
    ap.add_argument("--no-readme", action="store_true", help="do not rewrite README.md")
    ap.add_argument("--only", default="", help="comma-separated page kinds: a trial, printed only (no results written)")
    args = ap.parse_args(argv)
    kinds = [k.strip() for k in args.only.split(",") if k.strip()]
    pages = [(k, p) for k, p in PAGES if not kinds or k in kinds]

    SITE.mkdir(parents=True, exist_ok=True)
    server = serve(SITE, 0)  # bound first: the build's site_url names its port
    site_url = f"http://127.0.0.1:{server.server_address[1]}/"
    build(site_url)
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    runs = []
    try:
        for kind, path in pages:
            for lang in ("en", "es"):
                page = ("/es" if lang == "es" else "") + path
                for n in range(1, args.runs + 1):
                    load = os.getloadavg()[0]
                    name = f"{kind.replace(' ', '-')}.{lang}.{n}.json"
                    start = time.monotonic()
                    report = lighthouse(f"{site_url.rstrip('/')}{page}", REPORTS / name)
                    s = summary(report)
                    runs.append({"kind": kind, "lang": lang, "path": page, "run": n, "load": round(load, 2),
                                 "seconds": round(time.monotonic() - start, 1), "summary": s})
                    print(f"{kind:17} {lang} run {n}: {s['scores']} TBT {s['metrics']['TBT']:.0f} ms, "
                          f"LCP {s['metrics']['LCP']:.0f} ms, load {load:.2f}", flush=True)
    finally:
        server.shutdown()
        server.server_close()
    res = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "nox -s lighthouse" if os.environ.get("NOX_CURRENT_SESSION") else "python tools/lighthouse/run.py "
        + " ".join(sys.argv[1:]),
        "machine": machine(),
        "chromium": chromium,
        "targets": TARGETS,
        "runs_per_page": args.runs,
        "runs": runs,
    }
    if kinds:  # a trial on some pages: printed, not recorded
        print(markdown(res))
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / "latest.md").write_text(details(res), encoding="utf-8")
    if not args.no_readme:
        write_readme(res)
    print(markdown(res))
    missed = [f"{r['path']} (median run, {r['run']}): {', '.join(misses(r['summary']))}" for r in medians(res)
              if misses(r["summary"])]
    if missed:
        print("targets missed:\n" + "\n".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
