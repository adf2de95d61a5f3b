"""Benchmarks of the docs project (`nox -s bench`); see README.md, "Benchmarks".

    python tools/bench/run.py                          # everything
    python tools/bench/run.py --only mock,site         # some parts: mock, site, gate, scaling
    python tools/bench/run.py --quick                  # fewer repetitions, smaller N

Writes tools/bench/results/latest.json and latest.md and rewrites the README between
<!-- bench:start --> and <!-- bench:end -->. Parts not run keep their previous results
(each part records when it was measured). Exits 1, after writing everything, when a
target of a part measured in this run is missed: the targets fail the bench, never the
tests.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import report  # noqa: E402
from common import RESULTS, log, machine, now_iso  # noqa: E402

PARTS = ("mock", "site", "gate", "scaling")
KEY = {"mock": "mock_vs_real", "site": "site", "gate": "gate", "scaling": "scaling"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default=",".join(PARTS), help="comma-separated parts: " + ", ".join(PARTS))
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run, not for the README)")
    ap.add_argument("--examples", default="guides/", help="mock: page prefix of the examples to time ('' = all)")
    ap.add_argument("--gate-n", type=int, default=None, help="timed runs per gate session (default 1)")
    ap.add_argument("--warm", choices=("install", "full", "none"), default="install",
                    help="gate warm-up per session: `nox -s S --install-only` (default), a full run, or none")
    ap.add_argument("--sizes", default="10,50,200", help="scaling: numbers of pages")
    ap.add_argument("--scaling-n", type=int, default=None, help="scaling: runs per size up to 50 pages (default 3)")
    ap.add_argument("--scaling-n-large", type=int, default=None, help="scaling: runs per larger size (default 1)")
    ap.add_argument("--no-xdist", action="store_true", help="scaling: do not time pytest-xdist -n 2")
    ap.add_argument("--no-profile", action="store_true", help="do not profile what misses its target")
    ap.add_argument("--no-readme", action="store_true", help="do not rewrite README.md")
    ap.add_argument("--profile", default="", help="measure nothing: profile these target ids into latest.json")
    ap.add_argument("--report-only", action="store_true",
                    help="measure nothing: rewrite latest.md and the README from latest.json")
    args = ap.parse_args(argv)
    if args.report_only or args.profile:
        res = json.loads((RESULTS / "latest.json").read_text())
        if args.profile:
            res["profiles"] = {**(res.get("profiles") or {}),
                               **_profiles([{"id": i.strip()} for i in args.profile.split(",")])}
        res["targets"] = report.targets(res)
        (RESULTS / "latest.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        (RESULTS / "latest.md").write_text(report.markdown(res), encoding="utf-8")
        if not args.no_readme:
            report.write_readme(res)
        print(report.main_table(res))
        return 0
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        ap.error(f"unknown parts {sorted(unknown)}; choose from {', '.join(PARTS)}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    latest = RESULTS / "latest.json"
    previous = json.loads(latest.read_text()) if latest.exists() else {}
    res = {k: v for k, v in previous.items() if k in KEY.values()}
    res.update({
        "date": now_iso(),
        "command": "nox -s bench" + (f" -- --only {args.only}" if args.only != ",".join(PARTS) else "")
        if os.environ.get("NOX_CURRENT_SESSION") else "python tools/bench/run.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "load_average": {"start": [round(x, 2) for x in os.getloadavg()]},
        "parts_run": parts,
        "quick": args.quick,
    })
    q = args.quick
    t_start = time.perf_counter()
    for part in parts:
        log(f"=== {part} ===")
        t0 = time.perf_counter()
        load0 = [round(x, 2) for x in os.getloadavg()]
        try:
            if part == "mock":
                import mock_vs_real

                out = mock_vs_real.measure(n_import=5 if q else 10, n_cycle=5 if q else 7, n_example=1 if q else 3,
                                           examples=args.examples)
            elif part == "site":
                import site_build

                out = {"build": site_build.build(n=1 if q else 3), "serve": site_build.serve_rebuild(n=2 if q else 5)}
            elif part == "gate":
                import gate

                out = gate.measure(n=args.gate_n or 1, warm=args.warm)
            else:
                import scaling

                sizes = tuple(int(s) for s in args.sizes.split(","))
                out = scaling.measure(sizes=sizes, n=args.scaling_n or (1 if q else 3), n_large=args.scaling_n_large or 1,
                                      xdist=None if args.no_xdist else 2)
        except Exception as exc:  # a part that crashes is reported, the others still run
            out = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-3000:]}
            log(f"{part} failed: {exc}")
        out["measured_at"] = now_iso()
        out["bench_seconds"] = round(time.perf_counter() - t0, 1)
        out["load_average"] = {"start": load0, "end": [round(x, 2) for x in os.getloadavg()]}
        res[KEY[part]] = out
        _write(res, args)  # after every part: a crash later keeps what was measured

    res["targets"] = report.targets(res)
    missed = [t for t in res["targets"] if t["part"] in parts and t["pass"] is False]
    if missed and not args.no_profile:
        res["profiles"] = {**{k: v for k, v in (previous.get("profiles") or {}).items()
                              if not any(k.startswith(t["id"]) for t in res["targets"] if t["part"] in parts)},
                           **_profiles(missed)}
    elif previous.get("profiles"):
        keep = {k: v for k, v in previous["profiles"].items()
                if not any(k.startswith(t["id"]) for t in res["targets"] if t["part"] in parts)}
        if keep:
            res["profiles"] = keep
    res["load_average"]["end"] = [round(x, 2) for x in os.getloadavg()]
    res["bench_seconds"] = round(time.perf_counter() - t_start, 1)
    _write(res, args)
    print()
    print(report.main_table(res))
    print()
    print(report.targets_block(res))
    print(f"\nresults: {RESULTS.relative_to(common.ROOT)}/latest.json, latest.md"
          + ("" if args.no_readme else "; README.md updated"))
    if missed:
        print(f"\n{len(missed)} target(s) missed: " + ", ".join(t["id"] for t in missed), file=sys.stderr)
        return 1
    return 0


def _profiles(missed: list[dict]) -> dict:
    out = {}
    ids = {t["id"] for t in missed}
    try:
        if "mock_import" in ids:
            import mock_vs_real

            log("profiling the mock's import")
            out["mock_import: python -X importtime"] = mock_vs_real.profile_import()
        if "mock_cycle" in ids:
            import mock_vs_real

            log("profiling the mock's init + logs + finish")
            out["mock_cycle: cProfile"] = mock_vs_real.profile_cycle()
        if ids & {"site_build", "serve"}:
            import site_build

            log("profiling mkdocs build")
            out["site_build: cProfile of mkdocs build --strict"] = site_build.profile_build()
        if "gate" in ids:
            import gate

            import mock_vs_real

            latest = RESULTS / "latest.json"
            mvr = (json.loads(latest.read_text()) if latest.exists() else {}).get("mock_vs_real")
            log("profiling the slowest guide example with the mock")
            out["gate: slowest guide example with the mock"] = mock_vs_real.profile_slowest_example(mvr)
            log("profiling the tests session (slowest tests)")
            out["gate: slowest tests"] = gate.profile_tests()
        if "scaling" in ids:
            import shutil
            import tempfile

            import scaling
            import site_build

            for size in (50, 200):
                log(f"profiling the {size}-page synthetic build")
                tmp = Path(tempfile.mkdtemp(prefix="bench-prof-scale-"))
                try:
                    scaling.generate(tmp, size)
                    out[f"scaling: cProfile of the {size}-page synthetic build"] = site_build.profile_build(root=tmp)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
            tmp = Path(tempfile.mkdtemp(prefix="bench-prof-scale-"))
            try:
                pass
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except Exception as exc:
        out["error"] = f"profiling failed: {exc!r}"
    return out


def _write(res: dict, args) -> None:
    """Write the results; parts this run did not measure are re-read from disk (another bench
    run may have written them meanwhile)."""
    latest = RESULTS / "latest.json"
    try:
        on_disk = json.loads(latest.read_text()) if latest.exists() else {}
    except ValueError:
        on_disk = {}
    mine = {KEY[p] for p in res.get("parts_run", [])}
    for key in KEY.values():
        if key not in mine and key in on_disk:
            res[key] = on_disk[key]
    res["targets"] = report.targets(res)
    (RESULTS / "latest.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / "latest.md").write_text(report.markdown(res), encoding="utf-8")
    if not args.no_readme:
        report.write_readme(res)


if __name__ == "__main__":
    sys.exit(main())
