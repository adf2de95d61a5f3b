"""Run gate sessions while both cores are kept busy by another process (`nox -s underload`).

    python tools/underload.py                      # 3 runs of `nox -s tests browser`, all cores busy
    python tools/underload.py --runs 1 --sessions tests --hogs 1

A gate that passes only on a quiet machine fails at random in CI, where machines are shared.
This starts one CPU hog per core (a busy loop in its own process, at the same priority as
the gate), then runs the sessions --runs times in a row, and says for each run whether it
passed, how long it took and the load average at its start and end. The hogs are bounded:
each exits by itself after --max-seconds even if this script is killed, and they are
stopped when the runs end. Exit status 0 only when every run passed.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time

HOG = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


def start_hogs(n: int, seconds: float) -> list[subprocess.Popen]:
    code = HOG.format(seconds=seconds)
    return [subprocess.Popen([sys.executable, "-c", code]) for _ in range(n)]


def stop_hogs(hogs: list[subprocess.Popen]) -> None:
    for hog in hogs:
        hog.terminate()
    for hog in hogs:
        hog.wait()


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="consecutive runs (default 3)")
    ap.add_argument("--sessions", default="tests,browser", help="nox sessions per run (default tests,browser)")
    ap.add_argument("--hogs", type=int, default=os.cpu_count() or 2, help="busy processes (default: one per core)")
    ap.add_argument("--max-seconds", type=float, default=3600.0,
                    help="each hog exits by itself after this long (default 3600)")
    ap.add_argument("--nox", default=f"{shlex.quote(sys.executable)} -m nox",
                    help="the nox command (default: this Python's nox)")
    args = ap.parse_args(argv)

    cmd = [*shlex.split(args.nox), "-R", "-s", *args.sessions.split(",")]
    # The environments are set up before the load starts: installs are not what is tested.
    setup = subprocess.run([*shlex.split(args.nox), "-s", *args.sessions.split(","), "--install-only"])
    if setup.returncode != 0:
        print(f"underload: setting up the sessions failed ({setup.returncode})", file=sys.stderr)
        return setup.returncode
    hogs = start_hogs(args.hogs, args.max_seconds)
    results = []
    try:
        for i in range(1, args.runs + 1):
            before = load()
            print(f"underload: run {i}/{args.runs}: {' '.join(cmd)} with {args.hogs} CPU hogs (load {before})", flush=True)
            start = time.monotonic()
            rc = subprocess.run(cmd).returncode
            results.append((i, rc, time.monotonic() - start, before, load()))
    finally:
        stop_hogs(hogs)
    print("\nunderload: summary")
    for i, rc, seconds, before, after in results:
        status = "passed" if rc == 0 else f"FAILED (exit {rc})"
        print(f"  run {i}: {status} in {seconds:.0f} s; load average {before} at start, {after} at end")
    passed = sum(rc == 0 for _, rc, *_ in results)
    print(f"underload: {passed}/{len(results)} runs passed with {args.hogs} CPU hogs on {os.cpu_count()} cores")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
