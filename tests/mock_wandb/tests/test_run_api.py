"""wandb.init/log/finish/config/summary/login: behaviour and messages of wandb 0.31."""

from __future__ import annotations

import pytest

import wandb
from wandb.errors import Error, UsageError
from wandb.sdk.lib.config_util import ConfigError


def test_exports():
    assert wandb.Run.__name__ == "Run"
    assert wandb.__version__ == "0.31.0"
    for name in ("init", "log", "finish", "teardown", "login", "sweep", "agent", "config", "Api", "Run"):
        assert hasattr(wandb, name), name


def test_init_returns_run_with_attributes():
    run = wandb.init(project="p", entity="e", name="n", config={"lr": 0.1})
    assert isinstance(run, wandb.Run)
    assert len(run.id) == 8 and run.id.isalnum() and run.id == run.id.lower()
    assert (run.project, run.entity, run.name) == ("p", "e", "n")
    assert run.config.lr == 0.1
    assert wandb.run is run and wandb.config is run.config and wandb.summary is run.summary
    run.finish()
    assert wandb.run is None


def test_defaults_entity_project(monkeypatch):
    run = wandb.init()
    assert (run.entity, run.project) == ("mock-entity", "uncategorized")
    run.finish()
    monkeypatch.setenv("WANDB_ENTITY", "team")
    monkeypatch.setenv("WANDB_PROJECT", "proj")
    run = wandb.init()
    assert (run.entity, run.project) == ("team", "proj")


@pytest.mark.parametrize("bad", [{1, 2}, [1], None, "text", 3])
def test_log_needs_a_dict(bad):
    wandb.init()
    with pytest.raises(TypeError) as e:
        wandb.log(bad)
    assert str(e.value) == "wandb.log must be passed a dictionary"


def test_log_keys_must_be_strings():
    run = wandb.init()
    with pytest.raises(TypeError) as e:
        run.log({1: 2})
    assert str(e.value) == "Key values passed to `wandb.log` must be strings."


def test_log_before_init():
    with pytest.raises(Error) as e:
        wandb.log({"a": 1})
    assert type(e.value) is Error
    assert str(e.value) == "You must call wandb.init() before wandb.log()"


def test_log_after_finish():
    run = wandb.init()
    run.finish()
    with pytest.raises(UsageError) as e:
        run.log({"a": 1})
    assert str(e.value) == (
        f"Run ({run.id}) is finished. The call to `log` will be ignored. "
        "Please make sure that you are using an active run."
    )
    with pytest.raises(Error, match=r"^You must call wandb.init\(\) before wandb.log\(\)$"):
        wandb.log({"a": 1})


def test_config_before_init():
    with pytest.raises(Error) as e:
        wandb.config.lr
    assert str(e.value) == "You must call wandb.init() before wandb.config.lr"
    with pytest.raises(Error, match=r"before wandb.config\['lr'\]"):
        wandb.config["lr"]
    with pytest.raises(Error, match="before wandb.config.lr"):
        wandb.config.lr = 1


def test_config_access_update_and_errors():
    run = wandb.init(config={"lr": 0.1, "-batch-": 8, "_hidden": 1})
    config = run.config
    assert config["lr"] == config.lr == 0.1
    assert config.batch == 8  # leading/trailing '-' stripped
    assert config.keys() == ["lr", "batch"]
    assert config.as_dict() == {"lr": 0.1, "batch": 8}
    assert config._hidden == 1 and "_hidden" in config
    config.update({"lr": 0.1, "epochs": 3})
    with pytest.raises(ConfigError) as e:
        config.update({"lr": 0.2})
    assert str(e.value) == (
        'Attempted to change value of key "lr" from 0.1 to 0.2\n'
        "If you really want to do this, pass allow_val_change=True to config.update()"
    )
    assert isinstance(e.value, Error)
    assert type(e.value).__module__ == "wandb.sdk.lib.config_util"
    config.update({"lr": 0.2}, allow_val_change=True)
    assert config.lr == 0.2
    config.setdefaults({"lr": 9, "momentum": 0.9})
    assert (config.lr, config.momentum) == (0.2, 0.9)
    config.dropout = 0.5
    config["width"] = 64
    assert config.get("dropout") == 0.5 and config.get("nope", "d") == "d"
    with pytest.raises(AttributeError) as ae:
        config.nope
    assert str(ae.value) == "<class 'wandb.sdk.wandb_config.Config'> object has no attribute 'nope'"
    with pytest.raises(KeyError):
        config["nope"]
    with pytest.raises(ConfigError):
        config.width = 65


def test_config_update_from_namespace():
    import argparse

    run = wandb.init()
    run.config.update(argparse.Namespace(lr=0.3, layers=2))
    assert run.config.as_dict() == {"lr": 0.3, "layers": 2}


def test_config_defaults_file(tmp_path):
    (tmp_path / "config-defaults.yaml").write_text("epochs:\n  desc: n\n  value: 4\n")
    run = wandb.init(config={"lr": 1})
    assert run.config.as_dict() == {"epochs": 4, "lr": 1}


def test_nested_summary_merges_deeply():
    run = wandb.init()
    run.log({"val_loss": {"a": 1, "b": {"c": 2}}})
    run.log({"val_loss": {"b": {"d": 3}}, "acc": 0.5})
    assert run.summary["val_loss"]["a"] == 1
    assert run.summary["val_loss"] == {"a": 1, "b": {"c": 2, "d": 3}}
    assert run.summary.acc == 0.5
    run.summary["best"] = 0.9
    run.summary.update({"acc": 0.7})
    run.finish()
    stored = wandb.Api().run(run.path).summary
    assert stored["val_loss"] == {"a": 1, "b": {"c": 2, "d": 3}}
    assert stored["best"] == 0.9 and stored["acc"] == 0.7


def test_history_steps_and_commit(capsys):
    run = wandb.init()
    run.log({"a": 1})
    run.log({"b": 2}, commit=False)
    run.log({"c": 3})
    run.log({"d": 4}, step=5)
    run.log({"e": 5}, step=5)
    run.log({"x": 0}, step=1)
    run.finish()
    rows = wandb.Api().run(run.path).history()
    assert [r["_step"] for r in rows] == [0, 1, 5]
    assert rows[1]["b"] == 2 and rows[1]["c"] == 3
    assert rows[2]["d"] == 4 and rows[2]["e"] == 5
    err = capsys.readouterr().err
    assert "wandb: WARNING Tried to log to step 1 that is less than the current step 5." in err


def test_context_manager_finishes_and_marks_failure(capsys):
    with wandb.init() as run:
        run.log({"a": 1})
    assert wandb.Api().run(run.path).state == "finished"
    with pytest.raises(ValueError):
        with wandb.init() as run2:
            raise ValueError("bad")
    assert wandb.Api().run(run2.path).state == "failed"
    assert "ValueError: bad" in capsys.readouterr().err  # printed like the real __exit__


def test_finish_exit_code_and_teardown():
    run = wandb.init()
    wandb.finish(exit_code=2)
    assert wandb.Api().run(run.path).state == "failed"
    run = wandb.init()
    wandb.teardown()
    assert wandb.run is None and wandb.Api().run(run.path).state == "finished"


def test_reinit_default_returns_previous(capsys):
    run = wandb.init()
    again = wandb.init()
    assert again is run
    assert (
        "wandb: wandb.init() called while a run is active and reinit is set to 'default', "
        "so returning the previous run." in capsys.readouterr().err
    )
    new = wandb.init(reinit="finish_previous")
    assert new is not run and run._is_finished


def test_login_is_offline(capsys):
    assert wandb.login() is False
    assert capsys.readouterr().err == "wandb: WARNING Unable to verify login in offline mode.\n"
    wandb.init()
    assert wandb.login(key="x" * 40) is False
    assert "Calling wandb.login() after wandb.init() has no effect." in capsys.readouterr().err


def test_silent(monkeypatch, capsys):
    monkeypatch.setenv("WANDB_SILENT", "true")
    wandb.login()
    assert capsys.readouterr().err == ""


def test_api_run_fields_and_metadata():
    import os

    run = wandb.init(config={"lr": 1, "_private": 2}, name="first")
    run.log({"loss": 0.5})
    run.finish()
    api_run = wandb.Api().run(f"{run.entity}/{run.project}/{run.id}")
    assert api_run.id == run.id and api_run.name == "first" and api_run.state == "finished"
    assert api_run.config == {"lr": 1}
    assert api_run.summary["loss"] == 0.5
    assert api_run.metadata["pid"] == os.getpid()
    assert api_run.metadata["ppid"] == os.getppid()
    assert api_run.metadata["launched_by"] == "script"
    assert wandb.Api().run(f"{run.project}/{run.id}").id == run.id
    with pytest.raises(wandb.CommError, match="Could not find run"):
        wandb.Api().run(f"other/{run.project}/{run.id}")


def test_disabled_mode_is_not_stored():
    run = wandb.init(mode="disabled")
    run.log({"a": 1})
    run.finish()
    with pytest.raises(wandb.CommError):
        wandb.Api().run(run.path)


def test_seed_makes_ids_and_rngs_reproducible(monkeypatch, tmp_path):
    import random

    monkeypatch.setenv("WANDB_MOCK_SEED", "7")
    first = wandb.init()
    a = random.random()
    first.finish()
    monkeypatch.setenv("WANDB_DIR", str(tmp_path / "other"))
    second = wandb.init()
    b = random.random()
    assert (first.id, a) == (second.id, b)


# --- found by `nox -s real-sdk` (the listings on the real wandb 0.31) ---------------------------


def test_uncaught_wandb_error_after_init_is_also_printed_as_error_lines(tmp_path):
    from mockhelpers import run_python

    code = (
        "import wandb\n"
        "run = wandb.init(config={'lr': 0.01})\n"
        "wandb.config.update({'lr': 0.1})\n"
    )
    result = run_python(code, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        'wandb: ERROR Attempted to change value of key "lr" from 0.01 to 0.1',
        "wandb: ERROR If you really want to do this, pass allow_val_change=True to config.update()",
        "Traceback (most recent call last):",
    ]
    assert lines[-1] == "If you really want to do this, pass allow_val_change=True to config.update()"


def test_uncaught_error_before_any_init_and_other_exceptions_print_no_error_line(tmp_path):
    from mockhelpers import run_python

    before = run_python("import wandb\nwandb.log({'a': 1})\n", cwd=tmp_path)
    assert before.returncode == 1 and "wandb: ERROR" not in before.stderr
    other = run_python("import wandb\nwandb.init()\nraise RuntimeError('boom')\n", cwd=tmp_path)
    assert other.returncode == 1 and "wandb: ERROR" not in other.stderr
    assert other.stderr.splitlines()[-1] == "RuntimeError: boom"


def test_config_include_and_exclude_keys_are_deprecated_with_a_warning_once(capsys, monkeypatch):
    from wandb import _term

    monkeypatch.setattr(_term, "_printed", set())  # "once" is per process
    run = wandb.init(config={"lr": 0.1, "debug": True}, config_exclude_keys=["debug"])
    assert dict(run.config) == {"lr": 0.1}
    run.finish()
    wandb.init(config={"lr": 0.1, "debug": True}, config_exclude_keys=["debug"]).finish()
    wandb.init(config={"lr": 0.1, "debug": True}, config_include_keys=["lr"]).finish()
    assert capsys.readouterr().err.splitlines() == [
        "wandb: WARNING config_exclude_keys is deprecated."
        " Use `config=wandb.helper.parse_config(config_object, exclude=('key',))` instead.",
        "wandb: WARNING config_include_keys is deprecated."
        " Use `config=wandb.helper.parse_config(config_object, include=('key',))` instead.",
    ]
    with pytest.raises(UsageError, match="^Expected at most only one of exclude or include$"):
        wandb.init(config={"lr": 0.1}, config_include_keys=["lr"], config_exclude_keys=["x"])


def test_helper_parse_config_is_the_replacement():
    config = {"lr": 0.1, "batch_size": 32, "debug": True}
    assert wandb.helper.parse_config(config, exclude=("debug",)) == {"lr": 0.1, "batch_size": 32}
    assert wandb.helper.parse_config(config, include=("lr",)) == {"lr": 0.1}
    with pytest.raises(UsageError, match="^Expected at most only one of exclude or include$"):
        wandb.helper.parse_config(config, include=("lr",), exclude=("debug",))
