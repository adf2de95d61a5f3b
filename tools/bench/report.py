"""Targets, the Markdown table, latest.json / latest.md, and the README section."""

from __future__ import annotations

import json
import re
from pathlib import Path

from common import ROOT

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _s(x, digits=3) -> str:
    if x is None:
        return "–"
    if isinstance(x, (int, float)):
        return f"{x:.{digits}f}" if abs(x) < 100 else f"{x:.1f}"
    return str(x)


def _med(d: dict | None):
    return (d or {}).get("median")


def _n(d: dict | None):
    return (d or {}).get("n")


# --- targets -----------------------------------------------------------------------------

def targets(res: dict) -> list[dict]:
    """Each target: what it is, its value, pass (True/False) or None when not measured."""
    out = []
    mvr = res.get("mock_vs_real") or {}
    imp = mvr.get("import") or {}
    r = imp.get("ratio_mock_over_real")
    out.append({"id": "mock_import", "part": "mock", "target": "mock `import wandb` ≤ 1/5 of the real one",
                "value": r, "shown": f"{_s(r)}× the real time" if r is not None else "not measured",
                "pass": None if r is None else r <= 0.2})
    cyc = mvr.get("cycle") or {}
    sp = cyc.get("speedup_vs_real_disabled")
    out.append({"id": "mock_cycle", "part": "mock",
                "target": "mock init + 10 logs + finish ≥ 20× faster than real (disabled mode)",
                "value": sp, "shown": f"{_s(sp, 1)}× faster (in-process)" if sp is not None else "not measured",
                "pass": None if sp is None else sp >= 20})
    gate = res.get("gate") or {}
    # The gate issue's budget: every default session but real-sdk within 180 s (the site with
    # the whole Sweeps guide; 120 s was the budget of the 16-page site), real-sdk within 60 s
    # more.
    GATE_TARGET = "full gate but `real-sdk` ≤ 180 s (warm envs)"
    REAL_TARGET = "`real-sdk` ≤ 60 s on top"
    if gate.get("sessions"):
        sessions = gate["sessions"]
        bad = [f"{k}: {v.get('status')}" for k, v in sessions.items() if v.get("status") != "ok"]
        as_run = gate.get("as_run") or {}
        total = (as_run.get("time") or {}).get("median")  # one nox run of them all, as the gate runs
        if as_run and as_run.get("status") != "ok":
            bad.append(f"together: exit {as_run.get('exit_codes')}")
        ok = total is not None and total <= 180 and not bad
        shown = f"{_s(total, 1)} s" + (f" ({'; '.join(bad)})" if bad else "")
        out.append({"id": "gate", "part": "gate", "target": GATE_TARGET, "value": total, "shown": shown, "pass": ok})
        real = sessions.get("real-sdk") or {}
        v = (real.get("time") or {}).get("median")
        out.append({"id": "gate_real_sdk", "part": "gate", "target": REAL_TARGET, "value": v,
                    "shown": "not measured" if v is None else f"{_s(v, 1)} s",
                    "pass": None if v is None else (v <= 60 and real.get("status") == "ok")})
    else:
        out.append({"id": "gate", "part": "gate", "target": GATE_TARGET, "value": None, "shown": "not measured", "pass": None})
        out.append({"id": "gate_real_sdk", "part": "gate", "target": REAL_TARGET, "value": None, "shown": "not measured",
                    "pass": None})
    site = res.get("site") or {}
    b = site.get("build") or {}
    v = _med(b.get("process"))
    if b:
        shown = f"{_s(v, 2)} s" if b.get("ok") else (
            f"strict build fails ({b.get('warnings')} warnings); --no-strict: "
            f"{_s(_med((b.get('no_strict') or {}).get('process')), 2)} s")
        out.append({"id": "site_build", "part": "site", "target": "`mkdocs build --strict` ≤ 2 s", "value": v,
                    "shown": shown, "pass": bool(b.get("ok")) and v is not None and v <= 2})
    else:
        out.append({"id": "site_build", "part": "site", "target": "`mkdocs build --strict` ≤ 2 s", "value": None,
                    "shown": "not measured", "pass": None})
    sv = site.get("serve") or {}
    v = _med(sv.get("edit_to_reload"))
    if sv:
        ns = _med((sv.get("no_strict") or {}).get("edit_to_reload"))
        shown = f"{_s(v, 2)} s" if sv.get("ok") else f"serve fails in strict mode; --no-strict: {_s(ns, 2)} s"
        out.append({"id": "serve", "part": "site", "target": "`serve` rebuild after a snippet edit ≤ 1 s",
                    "value": v, "shown": shown, "pass": bool(sv.get("ok")) and v is not None and v <= 1})
    else:
        out.append({"id": "serve", "part": "site", "target": "`serve` rebuild after a snippet edit ≤ 1 s",
                    "value": None, "shown": "not measured", "pass": None})
    sc = res.get("scaling") or {}
    row = (sc.get("rows") or {}).get("200")
    if row:
        g, gx = row.get("gate"), row.get("gate_xdist")
        fit, fitx = (sc.get("fit") or {}).get("gate") or {}, (sc.get("fit") or {}).get("gate_xdist") or {}
        # The shape of the growth is judged on CPU seconds when measured (wall time on a shared
        # 2-core machine carries other users' load), each component separately.
        fc = sc.get("fit_cpu") or {}
        shape = fc if fc.get("gate") else (sc.get("fit") or {})
        fb, ft, fg = shape.get("build") or {}, shape.get("tests") or {}, shape.get("gate") or {}
        linear = bool(fg.get("linear_or_better") and fb.get("linear_or_better") and ft.get("linear_or_better"))
        ok_serial = bool(g is not None and g <= 120 and linear and row["build"].get("ok") and row["tests"].get("ok"))
        ok_x = bool(gx is not None and gx <= 120 and linear and row["build"].get("ok")
                    and (row.get("tests_xdist") or {}).get("ok"))
        shown = (f"serial {_s(g, 1)} s (t200/t50 = {_s(fit.get('ratio_200_over_50'), 2)}); "
                 f"-n 2: {_s(gx, 1)} s (t200/t50 = {_s(fitx.get('ratio_200_over_50'), 2)}); growth judged on "
                 f"{'CPU' if shape is fc else 'wall'} seconds: t200/t50 = {_s(fg.get('ratio_200_over_50'), 2)} "
                 f"(build {_s(fb.get('ratio_200_over_50'), 2)}, tests {_s(ft.get('ratio_200_over_50'), 2)}), "
                 f"{'linear or better' if linear else 'WORSE than linear'}")
        if not row["build"].get("ok"):
            shown = "synthetic build fails; " + shown
        if not row["tests"].get("ok"):
            shown = "synthetic tests fail; " + shown
        out.append({"id": "scaling", "part": "scaling",
                    "target": "200-page gate ≤ 120 s, growth no worse than linear", "value": g, "shown": shown,
                    "pass": ok_serial or ok_x,
                    "note": None if ok_serial or not ok_x else "passes only with pytest-xdist -n 2"})
    else:
        out.append({"id": "scaling", "part": "scaling", "target": "200-page gate ≤ 120 s, growth no worse than linear",
                    "value": None, "shown": "not measured", "pass": None})
    return out


# --- Markdown ------------------------------------------------------------------------------

def _failed(row: dict) -> str:
    """What a timed gate run that failed shows after its time (nothing if it passed)."""
    return "" if row.get("status") == "ok" else f" (**{row.get('status')}**, exit {row.get('exit_codes')})"


def _status(p) -> str:
    return "–" if p is None else ("pass" if p else "**FAIL**")


def machine_line(res: dict) -> str:
    m = res.get("machine") or {}
    load = res.get("load_average") or {}
    extra = f"; load average at start {load.get('start')}" if load.get("start") else ""
    parts = []
    for key, label in (("mock_vs_real", "mock"), ("site", "site"), ("gate", "gate"), ("scaling", "scaling")):
        part = res.get(key) or {}
        if part.get("measured_at"):
            la = (part.get("load_average") or {}).get("start")
            parts.append(f"{label} {part['measured_at']}" + (f" (load {la[0]} at its start)" if la else ""))
    when = ("; parts finished at " + ", ".join(parts)) if parts else ""
    return (f"Last run {res.get('date', '?')} (`{res.get('command', 'nox -s bench')}`){when}. Machine: "
            f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('memory_gib', '?')} GiB RAM, Python "
            f"{m.get('python', '?')}, {m.get('os', '?')}{extra}. The machine is shared with other jobs (1-minute "
            f"load averages above; 2 = both cores busy): wall-clock seconds, each figure the median of N runs, ratios measured "
            f"interleaved in the same run.")


def main_table(res: dict) -> str:
    rows = ["| what | result | N | target | status |", "| --- | --- | --- | --- | --- |"]
    tg = {t["id"]: t for t in res.get("targets", [])}

    def add(what, result, n, tid=None):
        t = tg.get(tid) if tid else None
        rows.append(f"| {what} | {result} | {n if n is not None else '–'} | "
                    f"{t['target'] if t else ''} | {_status(t['pass']) if t else ''} |")

    mvr = res.get("mock_vs_real") or {}
    if mvr.get("error"):
        add("mock vs real wandb 0.31", f"not measured: {mvr['error'][:120]}", None, "mock_import")
    imp = mvr.get("import") or {}
    if imp:
        add("`python -c \"import wandb\"`: mock / real 0.31",
            f"{_s(_med(imp.get('mock_import')))} s / {_s(_med(imp.get('real_import')))} s = "
            f"**{_s(imp.get('ratio_mock_over_real'))}×** (net of interpreter start: {_s(imp.get('net_ratio_mock_over_real'))}×)",
            _n(imp.get("mock_import")), "mock_import")
    cyc = mvr.get("cycle") or {}
    if cyc:
        m, ro, rd = cyc.get("mock") or {}, cyc.get("real_offline") or {}, cyc.get("real_disabled") or {}
        add("init + 10 logs + finish, in-process: mock / real offline / real disabled",
            f"{_s(_med(m.get('cycle')), 4)} / {_s(_med(ro.get('cycle')), 4)} / {_s(_med(rd.get('cycle')), 4)} s: "
            f"mock **{_s(cyc.get('speedup_vs_real_disabled'), 1)}×** faster than disabled, "
            f"{_s(cyc.get('speedup_vs_real_offline'), 1)}× than offline", _n(m.get("cycle")), "mock_cycle")
        sd = cyc.get("mock_seeded") or {}
        if sd:
            add("same, mock with WANDB_MOCK_SEED set (as in the gate: init opens the store)",
                f"{_s(_med(sd.get('cycle')), 4)} s: **{_s(cyc.get('seeded_speedup_vs_real_disabled'), 1)}×** "
                "faster than real disabled", _n(sd.get("cycle")))
        add("same, whole process (interpreter start + import included)",
            f"{_s(_med(m.get('process')))} / {_s(_med(ro.get('process')))} / {_s(_med(rd.get('process')))} s: "
            f"{_s(cyc.get('process_speedup_vs_real_disabled'), 1)}× / {_s(cyc.get('process_speedup_vs_real_offline'), 1)}×",
            _n(m.get("process")))
    ex = [e for e in mvr.get("examples") or [] if e.get("ratio_real_offline_over_mock_single")]
    if ex:
        rs = sorted(e["ratio_real_offline_over_mock_single"] for e in ex)
        rd = sorted(e["ratio_real_disabled_over_mock_single"] for e in ex if e.get("ratio_real_disabled_over_mock_single"))
        add(f"guide examples, single run, whole process ({len(ex)} examples): real offline / mock",
            f"median {_s(rs[len(rs) // 2], 1)}× (range {_s(rs[0], 1)}–{_s(rs[-1], 1)}×); real disabled / mock: "
            f"median {_s(rd[len(rd) // 2], 1)}×" if rd else "", _n((ex[0].get("process") or {}).get("mock_single")))
    site = res.get("site") or {}
    b = site.get("build")
    if b:
        if b.get("ok"):
            add("`mkdocs build --strict`, real site", f"{_s(_med(b['process']), 2)} s "
                f"(MkDocs reports {_s(_med(b.get('reported_by_mkdocs')), 2)} s; {b.get('html_files')} HTML files)",
                _n(b["process"]), "site_build")
        else:
            ns = b.get("no_strict") or {}
            add("`mkdocs build --strict`, real site",
                f"fails ({b.get('warnings')} warnings); `--no-strict` takes {_s(_med(ns.get('process')), 2)} s",
                _n(ns.get("process")), "site_build")
    sv = site.get("serve")
    if sv:
        src = sv if sv.get("ok") else (sv.get("no_strict") or {})
        pre = "" if sv.get("ok") else "strict serve fails; `--no-strict`: "
        add("`nox -s serve`: snippet edit → rebuilt (\"Reloading browsers\")",
            f"{pre}{_s(_med(src.get('edit_to_reload')), 2)} s (detection {_s(_med(src.get('edit_to_detected')), 2)} s + "
            f"rebuild {_s(_med(src.get('rebuild')), 2)} s)", _n(src.get("edit_to_reload")), "serve")
    gate = res.get("gate") or {}
    for name, row in (gate.get("sessions") or {}).items():
        if row.get("status") == "missing":
            add(f"gate: `nox -s {name}`", "missing (no such session)", None)
        else:
            add(f"gate: `nox -R -s {name}`", f"{_s(_med(row.get('time')), 1)} s{_failed(row)}", _n(row.get("time")),
                "gate_real_sdk" if name == "real-sdk" else None)
    if gate.get("sessions"):
        rest = [_med(r.get("time")) for k, r in gate["sessions"].items() if k != "real-sdk" and r.get("time")]
        add("gate: sum of the sessions above but `real-sdk`, each run alone", f"{_s(sum(rest), 1)} s", gate.get("n"))
        as_run = gate.get("as_run") or {}
        if as_run:
            add("gate: the same sessions in one `nox -R` run, as the gate runs them (the light ones side by side)",
                f"{_s(_med(as_run.get('time')), 1)} s{_failed(as_run)}", _n(as_run.get("time")), "gate")
    sc = res.get("scaling") or {}
    for size, row in (sc.get("rows") or {}).items():
        bt, tt, tx = row["build"]["time"], row["tests"]["time"], (row.get("tests_xdist") or {}).get("time")
        fails = [k for k in ("build", "tests", "tests_xdist") if k in row and not row[k].get("ok")]
        add(f"scaling: {size} pages × 2 languages",
            f"build {_s(_med(bt), 1)} s + tests {_s(_med(tt), 1)} s = **{_s(row.get('gate'), 1)} s**; "
            f"tests with `-n 2` {_s(_med(tx), 1)} s" + (f" (fails: {', '.join(fails)})" if fails else ""),
            _n(bt))
    fit = sc.get("fit") or {}
    if fit.get("gate"):
        parts = []
        for k in ("build", "tests", "gate", "gate_xdist"):
            f = fit.get(k) or {}
            if f:
                parts.append(f"{k}: {_s(f.get('a_seconds'), 1)} + {_s(f.get('b_seconds_per_page'), 3)}·pages s, "
                             f"t200/t50 = {_s(f.get('ratio_200_over_50'), 2)}")
        add("scaling: fit t = a + b·pages (wall)", "; ".join(parts), None)
        fc = sc.get("fit_cpu") or {}
        if fc.get("gate"):
            parts = [f"{k}: {_s(f.get('a_seconds'), 1)} + {_s(f.get('b_seconds_per_page'), 3)}·pages s, "
                     f"t200/t50 = {_s(f.get('ratio_200_over_50'), 2)}" for k, f in fc.items() if f]
            add("scaling: fit on CPU seconds (process + children)", "; ".join(parts), None, "scaling")
    return "\n".join(rows)


def targets_block(res: dict) -> str:
    lines = []
    for t in res.get("targets", []):
        note = f" ({t['note']})" if t.get("note") else ""
        lines.append(f"- {_status(t['pass'])}: {t['target']}: {t['shown']}{note}")
    return "\n".join(lines)


def details(res: dict) -> str:
    out = []
    mvr = res.get("mock_vs_real") or {}
    if mvr.get("real"):
        r = mvr["real"]
        out.append(f"Real SDK: wandb {r.get('version')} (Python {r.get('python')}) in `{r.get('path')}`, a venv of its "
                   f"own; the mock: `{mvr.get('mock_module')}`.")
    if mvr.get("examples"):
        out += ["", "### Guide examples, mock against the real SDK", "",
                "Whole-process wall time, median of N. *original*: the script as the tests run it; *single*: "
                "wandb.sweep/wandb.agent replaced by one call of the training function with the sweep's first "
                "parameter values (the real SDK cannot run a sweep without the W&B server).", "",
                "| example | mock original | real offline original | mock single | real offline single | "
                "real disabled single | offline / mock | disabled / mock | note |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for e in mvr["examples"]:
            if "error" in e:
                out.append(f"| – | {e['error']} |||||||")
                continue
            if e.get("skipped"):
                continue
            p = e.get("process") or {}
            note = []
            if e.get("wrong"):
                note.append("wrong example" + (" (fails as intended)" if e.get("expected_failures") else ""))
            for case, msg in (e.get("errors") or {}).items():
                why = ("needs the W&B server (no API key)" if "No API key" in msg
                       else msg.strip().splitlines()[-1][:100] if msg.strip() else msg)
                note.append(f"{case} fails: {why}")
            if not e.get("has_run"):
                note.append("no wandb.init: mock only")
            elif e.get("cli_program"):
                note.append("program of a CLI sweep: single run only")
            elif e.get("uses_sweep"):
                note.append("sweep: original with the mock only")
            out.append(
                f"| `{e['page'][:-3]}/{e['file']}` | {_s(_med(p.get('mock_original')))} | "
                f"{_s(_med(p.get('real_offline_original')))} | {_s(_med(p.get('mock_single')))} | "
                f"{_s(_med(p.get('real_offline_single')))} | {_s(_med(p.get('real_disabled_single')))} | "
                f"{_s(e.get('ratio_real_offline_over_mock_single'), 1)} | "
                f"{_s(e.get('ratio_real_disabled_over_mock_single'), 1)} | {'; '.join(note).replace('|', '/')} |")
    gate = res.get("gate") or {}
    if gate.get("sessions"):
        out += ["", "### Gate sessions", "", gate.get("method", "")]
        for name, row in gate["sessions"].items():
            cmds = "; ".join(f"`{c}`" for c in row.get("commands") or [])
            out.append(f"- `{name}`: {row.get('status')}" + (f", runs {cmds}" if cmds else ""))
    sc = res.get("scaling") or {}
    acc = sc.get("xdist_accounting")
    if acc:
        out += ["", "### pytest-xdist and the gate's listing accounting", "",
                f"{acc['what']}. Serial run fails: {acc['serial_fails']} ({_flat(acc['serial_summary'])}). "
                f"`-n 2` run fails: {acc['xdist_fails']} ({_flat(acc['xdist_summary'])}). "
                + ("The guarantee holds under xdist." if acc.get("guarantee_kept_under_xdist") else
                   "**Under xdist the guarantee is lost**: each worker keeps its own EXERCISED/RUNS (harness.py) "
                   "and the controller sees none, so conftest.py needs to collect them from the workers "
                   "(e.g. via workeroutput) before xdist can be used in the gate.")]
    prof = res.get("profiles") or {}
    if prof:
        out += ["", "### Profiles of what missed its target", ""]
        for name, p in prof.items():
            out += [f"#### {name}", "", "```", json.dumps(p, indent=1, ensure_ascii=False)[:6000], "```", ""]
    fails = []
    for part in ("site", "gate", "scaling"):
        fails += _collect_failures(res.get(part), part)
    if fails:
        out += ["", "### Failures", ""] + [f"- {f}" for f in fails]
    return "\n".join(out)


def _flat(text) -> str:
    return " ⏎ ".join(line.strip(" =") for line in str(text).splitlines() if line.strip(" ="))


def _collect_failures(obj, path) -> list[str]:
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("failures", "tail") and v:
                text = v if isinstance(v, str) else " / ".join(v)
                out.append(f"{path}: " + text.replace("\n", " ⏎ ")[:600])
            else:
                out += _collect_failures(v, f"{path}.{k}")
    return out


def markdown(res: dict) -> str:
    return "\n".join([
        "# Benchmark results", "", machine_line(res), "", main_table(res), "", "## Targets", "",
        targets_block(res), "", details(res), "",
    ])


def readme_section(res: dict) -> str:
    return "\n".join([
        machine_line(res), "", main_table(res), "", targets_block(res), "",
        "Details (every example, profiles, failures): `tools/bench/results/latest.md` and `latest.json`.",
    ])


def write_readme(res: dict, readme: Path = ROOT / "README.md") -> bool:
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return False
    new = re.sub(re.escape(START) + r".*?" + re.escape(END),
                 lambda m: f"{START}\n{readme_section(res)}\n{END}", text, count=1, flags=re.S)
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return True
