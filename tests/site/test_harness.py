"""The harness's own guarantees: a snippet line that no execution reaches is reported; a warning
or error line that a run prints and its test never reads fails the test."""

from __future__ import annotations

import pytest

import harness
import docskit.listings as listings_module

SNIPPET = "import sys\n\nif len(sys.argv) > 5:\n    print('never')\nprint('ok')\n"


def test_lines_that_never_ran_are_named_with_file_and_line(tmp_path, monkeypatch):
    root = tmp_path / "snippets"
    for lang in ("en", "es"):
        (root / "demo" / lang).mkdir(parents=True)
        (root / "demo" / lang / "ex.py").write_text(SNIPPET, encoding="utf-8")
    (root / "demo" / "listings.yml").write_text("ex:\n  file: ex.py\n", encoding="utf-8")
    monkeypatch.setattr(listings_module, "SNIPPETS", root)
    monkeypatch.setattr(harness, "ROOT", tmp_path)
    for name in ("LINES_RUN", "EXERCISED"):
        monkeypatch.setattr(harness, name, {})
    monkeypatch.setattr(harness, "RUNS", harness.Counter())
    (tmp_path / "work").mkdir()

    page = harness.PageListings("demo.md", tmp_path / "work")
    for lang in ("en", "es"):
        assert page.run("ex", lang).check().stdout == "ok\n"
    assert harness.lines_never_run() == [
        "snippets/demo/en/ex.py: lines 4 never executed",
        "snippets/demo/es/ex.py: lines 4 never executed",
    ]
    assert harness.EXERCISED == {"demo.md": {"ex"}}


def test_lines_are_recorded_in_programs_a_shell_listing_starts_and_after_imports(tmp_path, monkeypatch):
    """The tracer records lines in `python <listing>` processes too (a shell listing, or
    `wandb agent`, starts them), and keeps recording after an import (imports themselves
    run untraced); the `wandb` command's own process records nothing."""
    prog = "import json\nimport sys\n\nif len(sys.argv) > 5:\n    print('never')\nprint(json.dumps('ok'))\n"
    root = tmp_path / "snippets"
    for lang in ("en", "es"):
        (root / "demo" / lang).mkdir(parents=True)
        (root / "demo" / lang / "prog.py").write_text(prog, encoding="utf-8")
        (root / "demo" / lang / "run.sh").write_text("wandb --help > /dev/null\npython prog.py\n", encoding="utf-8")
    (root / "demo" / "listings.yml").write_text("prog:\n  file: prog.py\nrun:\n  file: run.sh\n", encoding="utf-8")
    monkeypatch.setattr(listings_module, "SNIPPETS", root)
    monkeypatch.setattr(harness, "ROOT", tmp_path)
    for name in ("LINES_RUN", "EXERCISED"):
        monkeypatch.setattr(harness, name, {})
    monkeypatch.setattr(harness, "RUNS", harness.Counter())
    page = harness.PageListings("demo.md", tmp_path / "work")
    result = page.shell(["run"], "en").check()
    assert result.stdout == '"ok"\n'
    (lines,) = harness.LINES_RUN.values()
    assert list(harness.LINES_RUN) == [root / "demo" / "en" / "prog.py"]
    assert {1, 2, 4, 6} <= lines and 5 not in lines  # line 6: after the imports
    assert len(list(tmp_path.glob("work/trace-*/*.json"))) == 1  # python prog.py only, not wandb


SVG = '<svg width="460.8pt"><path id="p1f2e3d" d="M 10.5 -3.25 L 72 0.000001"/><!-- best run --></svg>\n'


def test_svgs_are_the_same_figure_up_to_tiny_numeric_differences():
    assert harness.same_svg(SVG, SVG.replace("10.5 ", "10.504 ").replace("0.000001", "0"))
    assert not harness.same_svg(SVG, SVG.replace("10.5 ", "10.6 "))  # a moved point
    assert not harness.same_svg(SVG, SVG.replace("best run", "best  run"))  # a changed label
    assert not harness.same_svg(SVG, SVG.replace("p1f2e3d", "p9f2e3d"))  # another id: another salt
    assert not harness.same_svg(SVG, SVG.replace(" L 72 0.000001", ""))  # a missing segment


def test_check_figure_compares_the_drawn_file_and_rewrites_only_a_different_figure(tmp_path, monkeypatch):
    root = tmp_path / "snippets"
    for lang in ("en", "es"):
        (root / "demo" / lang).mkdir(parents=True)
        (root / "demo" / lang / "fig.svg").write_text(SVG, encoding="utf-8")
    (root / "demo" / "listings.yml").write_text("fig:\n  file: fig.svg\n", encoding="utf-8")
    monkeypatch.setattr(listings_module, "SNIPPETS", root)
    monkeypatch.setattr(harness, "ROOT", tmp_path)  # error messages name files relative to it
    listings = harness.PageListings("demo.md", tmp_path / "run")
    cwd = listings.workdir("en")
    assert not (cwd / "fig.svg").exists()  # figures are not copied: the example must draw them
    result = harness.Result(["draw"], cwd, {}, 0, "", "")
    with pytest.raises(AssertionError, match="did not write fig.svg"):
        listings.check_figure("fig", "en", result)
    (cwd / "fig.svg").write_text(SVG.replace("10.5 ", "10.501 "), encoding="utf-8")
    listings.check_figure("fig", "en", result)  # the same figure
    (cwd / "fig.svg").write_text(SVG.replace("best run", "other"), encoding="utf-8")
    with pytest.raises(AssertionError, match="no longer matches"):
        listings.check_figure("fig", "en", result)
    listings.update_outputs = True
    listings.check_figure("fig", "en", result)
    assert "other" in (root / "demo" / "en" / "fig.svg").read_text(encoding="utf-8")
    (cwd / "fig.svg").write_text(SVG.replace("best run", "other").replace("10.5 ", "10.501 "), encoding="utf-8")
    listings.check_figure("fig", "en", result)  # equivalent: the committed file stays as it is
    assert "10.5 " in (root / "demo" / "en" / "fig.svg").read_text(encoding="utf-8")


# --- nothing printed goes unread ----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "wandb: WARNING Ignoring run_id 'baseline' when running a sweep.",
        "wandb: ERROR Detected 3 failed runs in the first 60 seconds, shutting down.",
        "wandb: WARNING (mock) Run abc12345 finished without a numeric value for the sweep metric 'val_loss'; it never logged 'val_loss'.",
        "Traceback (most recent call last):",
        "ValueError: Parameter lr is ambiguous",
        "wandb.errors.errors.CommError: Invalid sweep config: Bayesian search requires \"metric\" section",
        "KeyError: 'learning_rate'",
        "KeyboardInterrupt",
        "Error: Could not find sweep nowhere/abc",
        "/tmp/x/train.py:3: DeprecationWarning: np.float is deprecated",
        "/usr/bin/python: can't open file '/tmp/x/trian.py': [Errno 2] No such file or directory",
        "bash: line 1: wandb-agent: command not found",
        "wandb agent: error: argument --count: invalid int value: 'x'",
    ],
)
def test_warnings_errors_and_tracebacks_are_diagnostics(line):
    assert harness.DIAGNOSTIC.match(line)


@pytest.mark.parametrize(
    "line",
    [
        "wandb: Agent Starting Run: 5d451di9 with config:",
        "wandb: \tlr: 0.01",
        "  File \"train.py\", line 8, in <module>",
        "    raise ValueError('x')",
        "epoch: 3, val_loss: 0.25",
        "Create sweep with ID: p37a27rp",
        "Best run: 5d451di9, val_loss=0.0100",
    ],
)
def test_ordinary_output_is_not_a_diagnostic(line):
    assert not harness.DIAGNOSTIC.match(line)


def demo_page(tmp_path, monkeypatch, files: dict[str, str], yml: str) -> harness.PageListings:
    """A page `demo.md` whose listings are `files` (same text in both languages)."""
    root = tmp_path / "snippets"
    for lang in ("en", "es"):
        (root / "demo" / lang).mkdir(parents=True)
        for name, text in files.items():
            (root / "demo" / lang / name).write_text(text, encoding="utf-8")
    (root / "demo" / "listings.yml").write_text(yml, encoding="utf-8")
    monkeypatch.setattr(listings_module, "SNIPPETS", root)
    monkeypatch.setattr(harness, "ROOT", tmp_path)
    for name in ("LINES_RUN", "EXERCISED"):
        monkeypatch.setattr(harness, name, {})
    monkeypatch.setattr(harness, "RUNS", harness.Counter())
    (tmp_path / "work").mkdir()
    return harness.PageListings("demo.md", tmp_path / "work")


WARNS = (
    "import sys, warnings\n"
    "print('result: 1')\n"
    "print('wandb: WARNING something is off', file=sys.stderr)\n"
    "print('wandb: WARNING something is off', file=sys.stderr)\n"
    "warnings.warn('old API', UserWarning)\n"
)


def test_an_unread_warning_fails_naming_the_file_the_language_and_the_line(tmp_path, monkeypatch):
    shown = "wandb: WARNING something is off\n"  # a stored output listing shows one of the two lines
    page = demo_page(tmp_path, monkeypatch, {"warns.py": WARNS, "out.txt": shown}, "ex:\n  file: warns.py\nout:\n  file: out.txt\n")
    result = page.run("ex", "es").check()
    assert result.stdout == "result: 1\n"  # reading stdout reads no diagnostic
    (message,) = page.unread()
    assert message.startswith("snippets/demo/es/warns.py (listing 'ex'), es printed 3 diagnostic line(s)")
    assert "  stderr line 1: wandb: WARNING something is off\n" in message
    assert "  stderr line 2: wandb: WARNING something is off\n" in message
    assert "warns.py:5: UserWarning: old API" in message  # Python's warnings too
    assert "result.expect(" in page.unread_report() and "check_output" in page.unread_report()

    # Reading one of the two lines leaves the other one unread; a count must be exact.
    page.check_output("out", "es", shown)
    assert "stderr line 1" not in page.unread()[0] and "stderr line 2" in page.unread()[0]
    with pytest.raises(AssertionError, match=r"expected 1 diagnostic line\(s\) matching 'something is off', found 2"):
        result.expect("something is off", count=1)
    with pytest.raises(AssertionError, match="expected at least one diagnostic line"):
        result.expect("not printed")
    assert result.expect("something is off", count=2) == ["wandb: WARNING something is off"] * 2
    assert result.expect(harness.re.compile(r": UserWarning: old API$")) == [
        next(d.text for d in result.diagnostics if "UserWarning" in d.text)
    ]
    assert page.unread() == []


def test_a_command_around_the_listings_is_held_to_the_same_rule(tmp_path, monkeypatch):
    page = demo_page(tmp_path, monkeypatch, {"ok.py": "print('ok')\n"}, "ex:\n  file: ok.py\n")
    failed = page.command([harness.sys.executable, "-c", "raise SystemExit('Error: no such sweep')"], "en").check(1)
    (message,) = page.unread()
    assert message.startswith(f"`{harness.sys.executable} -c raise SystemExit('Error: no such sweep')` (en) printed 1")
    failed.expect("Error: no such sweep", count=1)
    assert page.unread() == [] and harness.RUNS == {}  # not counted as an example


def test_in_process_runs_capture_what_they_print_and_warn(tmp_path, monkeypatch):
    page = demo_page(tmp_path, monkeypatch, {"ok.py": "print('ok')\n"}, "ex:\n  file: ok.py\n")
    import sys
    import warnings

    with page.here(["ex"], "en") as result:
        print("ok")
        print("wandb: ERROR in process", file=sys.stderr)
        warnings.warn("careful", RuntimeWarning)
    assert result.stdout == "ok\n"
    assert result.stderr.startswith("wandb: ERROR in process\n")
    assert [d.text.rsplit(": ", 1)[-1] for d in result.unread()] == ["ERROR in process", "careful"]
    assert "snippets/demo/en/ok.py (listing 'ex'), en printed 2" in page.unread()[0]
    result.expect("ERROR in process", count=1)
    result.expect("RuntimeWarning: careful", count=1)
    assert page.unread() == [] and harness.EXERCISED == {"demo.md": {"ex"}}


def test_in_process_runs_record_the_lines_of_the_listings_they_run(tmp_path, monkeypatch):
    import runpy

    page = demo_page(tmp_path, monkeypatch, {"ex.py": SNIPPET}, "ex:\n  file: ex.py\n")
    monkeypatch.setattr(harness.sys, "argv", ["ex.py"])
    for lang in ("en", "es"):
        with page.here(["ex"], lang) as result:
            runpy.run_path(str(page.workdir(lang) / "ex.py"), run_name="__main__")
        assert result.stdout == "ok\n"
    assert harness.lines_never_run() == [
        "snippets/demo/en/ex.py: lines 4 never executed",
        "snippets/demo/es/ex.py: lines 4 never executed",
    ]


SWEEP = """\
program: train.py
method: grid
metric:
  goal: minimize
  name: {metric}
parameters:
  lr:
    values: [0.1]
"""
TRAIN = "import wandb\n\nwith wandb.init() as run:\n    run.log({'val_loss': run.config.lr})\n"
COMMANDS = (
    "id=$(wandb sweep --project demo sweep.yaml 2>&1 | sed -n 's/.*Creating sweep with ID: //p')\n"
    "wandb agent --count 1 mock-entity/demo/$id\n"
)


def test_a_sweep_whose_runs_miss_its_metric_fails_unless_marked_wrong(tmp_path, monkeypatch):
    """The issue's proof in small: a metric name that train.py never logs fails the test,
    naming the files; only an intentionally wrong example may expect the mock's warning."""
    yml = (
        "cmd:\n  file: run.sh\ncmd-wrong:\n  file: run_wrong.sh\n  wrong: true\nconfig:\n  file: sweep.yaml\n"
        "train:\n  file: train.py\nout:\n  file: out.txt\n"
    )
    files = {"run.sh": COMMANDS, "run_wrong.sh": COMMANDS, "sweep.yaml": SWEEP.format(metric="val_acc"),
             "train.py": TRAIN, "out.txt": ""}
    page = demo_page(tmp_path, monkeypatch, files, yml)
    result = page.shell(["cmd"], "en").check()
    page.ran("config", "train")
    (message,) = page.unread()
    assert message.startswith("snippets/demo/en/run.sh (listing 'cmd'), en printed 1 diagnostic line(s)")
    assert "this test also used: snippets/demo/en/sweep.yaml, snippets/demo/en/train.py" in message
    assert "finished without a numeric value for the sweep metric 'val_acc'; it never logged 'val_acc'." in message
    warning = "finished without a numeric value for the sweep metric 'val_acc'"
    with pytest.raises(AssertionError, match=r"not marked `wrong: true`"):
        result.expect(warning, count=1)
    with pytest.raises(AssertionError, match=r"not marked `wrong: true`"):
        page.check_output("out", "en", result.stderr)  # reading it by comparison: the same

    # The same output from an example marked wrong: the test may read the warning.
    wrong = harness.Result(result.args, result.cwd, result.env, 0, result.stdout, result.stderr, "en", (page["cmd-wrong"],))
    assert wrong.expect(warning, count=1) and wrong.unread() == []


def test_the_gate_fails_a_test_whose_runs_left_a_line_unread(request, tmp_path, monkeypatch):
    """conftest.py's hook, after a test body that passed: pytest.fail with the report."""
    conftest = next(
        p for p in request.config.pluginmanager.get_plugins()
        if getattr(p, "__file__", None) == str(harness.ROOT / "tests" / "conftest.py")
    )
    page = demo_page(tmp_path, monkeypatch, {"ok.py": "print('ok')\n"}, "ex:\n  file: ok.py\n")
    item = type("Item", (), {"funcargs": {"listings": page}})()

    def call_hook():
        hook = conftest.pytest_runtest_call(item)
        next(hook)  # the test body runs here
        with pytest.raises(StopIteration):
            hook.send(None)

    call_hook()  # nothing printed: passes
    page.command([harness.sys.executable, "-c", "import warnings; warnings.warn('w')"], "en")
    with pytest.raises(pytest.fail.Exception, match=r"printed 1 diagnostic line\(s\) that the test never read"):
        call_hook()
