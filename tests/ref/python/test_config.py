"""docs/{en,es}/ref/python/config.md: wandb.config access, update, setdefaults, hidden and locked keys."""

from __future__ import annotations

from ref.refcheck import error_tail, wandb_lines

PROJECT = {"en": "config-reference", "es": "referencia-config"}


def test_access_update_setdefaults_and_hidden_keys(listings, lang):
    result = listings.run("access", lang).check()
    listings.check_output("access-output", lang, result.stdout)
    assert result.stderr == ""
    (run,) = result.api().runs(PROJECT[lang])
    assert run.config == {
        "lr": 0.001, "epochs": 5, "batch_size": 32, "optimizer": "adam", "dropout": 0.1, "seed": 7,
    }
    assert "_note" not in run.config
    assert "_note" in run.json_config  # stored all the same


def test_changing_a_value_without_allow_val_change_raises(listings, lang):
    result = listings.run("change", lang).check(returncode=1)
    tail = error_tail(result.stderr)
    assert tail == (
        'wandb.sdk.lib.config_util.ConfigError: Attempted to change value of key "lr" from 0.01 to 0.1\n'
        "If you really want to do this, pass allow_val_change=True to config.update()\n"
    )
    listings.check_output("change-error", lang, tail)
    result.expect("Traceback (most recent call last):", count=1)
    # Uncaught after wandb.init(): the message is also printed as ERROR lines (the page says so).
    message = tail.split(": ", 1)[1]
    assert result.expect("wandb: ERROR ", count=2) == [f"wandb: ERROR {line}" for line in message.splitlines()]


def test_sweep_keys_are_locked(listings, lang):
    result = listings.run("locked", lang).check()
    listings.check_output("locked-output", lang, result.stdout)
    log = wandb_lines(result.stderr)
    assert "wandb: WARNING Config item 'lr' was locked by 'sweep' (ignored update).\n" in log
    listings.check_output("locked-log", lang, log)
    sweep_id = result.stdout.splitlines()[0].removeprefix("Create sweep with ID: ")
    (run,) = result.api().sweep(f"{PROJECT[lang]}/{sweep_id}").runs
    assert run.config == {"lr": 0.01}


def test_attribute_assignment_and_missing_keys(tmp_path, monkeypatch):
    import pytest

    import wandb

    for var in ("WANDB_SWEEP_ID", "WANDB_RUN_ID"):
        monkeypatch.setenv(var, "x")
        monkeypatch.delenv(var)
    monkeypatch.setenv("WANDB_DIR", str(tmp_path))
    with pytest.raises(wandb.Error, match=r"^You must call wandb.init\(\) before wandb.config.lr$"):
        wandb.config.lr
    with wandb.init(config={"--lr": 0.1}) as run:
        assert run.config.keys() == ["lr"]  # leading dashes are stripped from keys
        run.config.lr = 0.1  # the same value again is not a change
        from wandb.sdk.lib.config_util import ConfigError

        with pytest.raises(ConfigError, match='Attempted to change value of key "lr" from 0.1 to 0.2'):
            run.config.lr = 0.2
        run.config["_hidden"] = 1
        assert run.config.items() == [("lr", 0.1)]
        with pytest.raises(AttributeError, match="has no attribute 'missing'"):
            run.config.missing
        with pytest.raises(KeyError):
            run.config["missing"]
        assert run.config.get("missing") is None
