"""tools/docskit/reference.py: signatures and CLI usage rendered from the mock SDK."""

from __future__ import annotations

import inspect
import sys
import types

import pytest

from docskit import reference
from docskit.listings import ListingError


def test_resolve_imports_the_longest_module_prefix():
    import wandb
    from wandb._config import Config

    assert reference.resolve("wandb.sweep") is wandb.sweep
    assert reference.resolve("wandb.Config.update") is Config.update
    with pytest.raises(AttributeError):
        reference.resolve("wandb.no_such_function")


def test_parameters_follow_the_code_and_drop_self():
    import wandb

    assert reference.parameters("wandb.sweep") == list(inspect.signature(wandb.sweep).parameters)
    assert reference.parameters("wandb.Run.finish") == ["exit_code"]
    # wandb.log before init() is a placeholder that wraps Run.log: its signature is Run.log's.
    assert reference.parameters("wandb.log") == ["data", "step", "commit"]


def test_signature_text_is_stable_and_names_sentinel_defaults():
    text = reference.signature_text("wandb.init")
    assert text.startswith("wandb.init(\n    entity: str | None = None,\n")
    assert text.endswith("\n) -> Run")
    assert " at 0x" not in text
    assert "anonymous: DoNotSet = _UNSET," in text
    assert reference.signature_text("wandb.Config.as_dict") == "wandb.Config.as_dict()"


def test_unnamed_sentinel_default_is_shown_as_unset():
    sentinel = object()

    def f(a=sentinel):
        pass

    param = inspect.signature(f).parameters["a"]
    assert reference._param(param, {}) == "a=<unset>"


def test_cli_help_is_the_usage_of_the_mock_command_at_a_fixed_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    text = reference.cli_help("agent")
    assert text.startswith("usage: wandb agent ")
    assert max(len(line) for line in text.splitlines()) <= int(reference.HELP_COLUMNS)
    assert "--max-consecutive-failed-runs" in text
    import os

    assert os.environ["COLUMNS"] == "200"  # restored


def test_cli_options_lists_long_options_but_not_help():
    options = reference.cli_options("sweep")
    assert "--project" in options and "--prior_run" in options and "--update" in options
    assert "--help" not in options
    assert "--settings" not in options  # hidden from --help, so not part of the documented surface


def test_cli_help_that_prints_nothing_fails(monkeypatch):
    fake = types.ModuleType("wandb.cli")
    fake.main = lambda argv: 0
    monkeypatch.setitem(sys.modules, "wandb.cli", fake)
    with pytest.raises(ListingError, match="printed nothing"):
        reference.cli_help("sweep")


def _all_params(dotted: str) -> str:
    return " ".join(f"`{p}`" for p in reference.parameters(dotted))


def test_render_replaces_the_directive_with_the_signature_keeping_its_indent():
    page = f"Intro\n\n    [[signature wandb.sweep]]\n\n{_all_params('wandb.sweep')}\n"
    out = reference.render(page, lang="en", label="docs/en/x.md")
    assert "    ``` python\n    wandb.sweep(\n        sweep: dict | Callable,\n" in out
    assert "[[signature" not in out


def test_render_fails_on_an_undocumented_parameter():
    page = "[[signature wandb.sweep]]\n\n`sweep` `entity` `project`\n"
    with pytest.raises(ListingError, match=r"docs/en/x.md: parameters of wandb.sweep not documented on the page: prior_runs"):
        reference.render(page, lang="en", label="docs/en/x.md")


def test_render_fails_on_an_undocumented_cli_option():
    options = [o for o in reference.cli_options("agent") if o != "--count"]
    page = "[[cli wandb agent]]\n\n" + " ".join(f"`{o}`" for o in options) + "\n"
    with pytest.raises(ListingError, match=r"options of `wandb agent` not documented on the page: --count"):
        reference.render(page, lang="en", label="docs/en/x.md")
    page += "`--count N`\n"
    out = reference.render(page, lang="en", label="docs/en/x.md")
    assert out.startswith("``` text\nusage: wandb agent")


def test_a_class_signature_has_no_return_annotation():
    text = reference.signature_text("wandb.Histogram")
    assert text.startswith("wandb.Histogram(\n    sequence: Sequence | None = None,")
    assert text.endswith("\n)")
