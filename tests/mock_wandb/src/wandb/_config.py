"""``wandb.Config``: the run's config, with the real SDK's semantics.

Mirrors ``wandb/sdk/wandb_config.py`` (0.31): attribute and item access,
``update(d, allow_val_change=None)`` raising ConfigError on a changed value,
``setdefaults``, keys starting with ``_`` hidden from ``keys()``/``items()``/
``as_dict()``, leading/trailing ``-`` stripped from keys, and keys locked by a
sweep ignored with the real warning.  ``config-defaults.yaml`` in the current
directory is loaded like the real SDK does.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Callable

from wandb._term import termwarn
from wandb.errors import UsageError
from wandb.sdk.lib import config_util


def _json_friendly_val(val: Any) -> Any:
    """Like the real ``json_friendly_val``: numpy scalars/arrays to Python, others to str."""
    if val is None or type(val) in (str, int, float, bool):
        return val  # the common case, decided without importing dataclasses (and inspect)
    if isinstance(val, dict):
        return {k: _json_friendly_val(v) for k, v in val.items()}
    if isinstance(val, slice):
        return dict(slice_start=val.start, slice_step=val.step, slice_stop=val.stop)
    module = type(val).__module__
    if module == "numpy" or module.startswith("numpy."):
        if hasattr(val, "tolist"):
            val = val.tolist()
        elif hasattr(val, "item"):
            val = val.item()
    if isinstance(val, Sequence) and not isinstance(val, str):
        return [_json_friendly_val(v) for v in val]
    import dataclasses

    if dataclasses.is_dataclass(val) and not isinstance(val, type):
        return _json_friendly_val(dataclasses.asdict(val))
    if val.__class__.__module__ not in ("builtins", "__builtin__"):
        val = str(val)
    return val


def _to_dict(params: Any) -> dict:
    """Accept a dict, a Config, or anything with ``__dict__`` (argparse.Namespace)."""
    from wandb._preinit import PreInitObject

    if isinstance(params, dict):
        return params
    if isinstance(params, Config):
        return dict(params)
    if isinstance(params, PreInitObject):
        return {}
    if not hasattr(params, "__dict__"):
        raise TypeError("config must be a dict or have a __dict__ attribute.")
    return vars(params)


def parse_config(params: Any, exclude: Any = None, include: Any = None) -> dict:
    if exclude and include:
        raise UsageError("Expected at most only one of exclude or include")
    if isinstance(params, str):
        params = config_util.dict_from_config_file(params, must_exist=True)
    params = _to_dict(params)
    if include:
        params = {k: v for k, v in params.items() if k in include}
    if exclude:
        params = {k: v for k, v in params.items() if k not in exclude}
    return params


class Config:
    """Config object of a run (``run.config`` / ``wandb.config``)."""

    def __init__(self):
        object.__setattr__(self, "_items", dict())
        object.__setattr__(self, "_locked", dict())
        object.__setattr__(self, "_users", dict())
        object.__setattr__(self, "_users_inv", dict())
        object.__setattr__(self, "_users_cnt", 0)
        object.__setattr__(self, "_callback", None)
        object.__setattr__(self, "_settings", None)
        object.__setattr__(self, "_artifact_callback", None)

        self._load_defaults()

    def _set_callback(self, cb: Callable | None) -> None:
        object.__setattr__(self, "_callback", cb)

    def __repr__(self):
        return str(dict(self))

    def keys(self):
        return [k for k in self._items if not k.startswith("_")]

    def _as_dict(self):
        return self._items

    def as_dict(self):
        return dict(self)

    def __getitem__(self, key):
        return self._items[key]

    def __iter__(self):
        return iter(self._items)

    def _check_locked(self, key, ignore_locked=False) -> bool:
        locked = self._locked.get(key)
        if locked is not None:
            locked_user = self._users_inv[locked]
            if not ignore_locked:
                termwarn(f"Config item '{key}' was locked by '{locked_user}' (ignored update).")
            return True
        return False

    def __setitem__(self, key, val):
        if self._check_locked(key):
            return
        key, val = self._sanitize(key, val)
        self._items[key] = val
        if self._callback:
            self._callback(key=key, val=val)

    def items(self):
        return [(k, v) for k, v in self._items.items() if not k.startswith("_")]

    __setattr__ = __setitem__

    def __getattr__(self, key):
        try:
            return self.__getitem__(key)
        except KeyError as ke:
            raise AttributeError(f"{self.__class__!r} object has no attribute {key!r}") from ke

    def __contains__(self, key):
        return key in self._items

    def _update(self, d, allow_val_change=None, ignore_locked=None):
        parsed_dict = parse_config(d)
        locked_keys = set()
        for key in list(parsed_dict):
            if self._check_locked(key, ignore_locked=ignore_locked):
                locked_keys.add(key)
        sanitized = self._sanitize_dict(parsed_dict, allow_val_change, ignore_keys=locked_keys)
        self._items.update(sanitized)
        return sanitized

    def update(self, d, allow_val_change=None):
        sanitized = self._update(d, allow_val_change)
        if self._callback:
            self._callback(data=sanitized)

    def get(self, *args):
        return self._items.get(*args)

    def persist(self):
        """Call the callback if it's set."""
        if self._callback:
            self._callback(data=self._as_dict())

    def setdefaults(self, d):
        d = parse_config(d)
        d = {k: v for k, v in d.items() if k not in self._items}
        d = self._sanitize_dict(d)
        self._items.update(d)
        if self._callback:
            self._callback(data=d)

    def _get_user_id(self, user) -> int:
        if user not in self._users:
            self._users[user] = self._users_cnt
            self._users_inv[self._users_cnt] = user
            object.__setattr__(self, "_users_cnt", self._users_cnt + 1)
        return self._users[user]

    def update_locked(self, d, user=None, _allow_val_change=None):
        """Shallow-update config with `d` and lock config updates on d's keys."""
        num = self._get_user_id(user)
        for k, v in d.items():
            k, v = self._sanitize(k, v, allow_val_change=_allow_val_change)
            self._locked[k] = num
            self._items[k] = v
        if self._callback:
            self._callback(data=d)

    def merge_locked(self, d, user=None, _allow_val_change=None):
        """Recursively merge-update config with `d` and lock config updates on d's keys."""
        num = self._get_user_id(user)
        callback_d = {}
        for k, v in d.items():
            k, v = self._sanitize(k, v, allow_val_change=_allow_val_change)
            self._locked[k] = num
            if k in self._items and isinstance(self._items[k], dict) and isinstance(v, dict):
                self._items[k] = config_util.merge_dicts(self._items[k], v)
            else:
                self._items[k] = v
            callback_d[k] = self._items[k]
        if self._callback:
            self._callback(data=callback_d)

    def _load_defaults(self):
        # Cheap check first: yaml is imported only when the file exists.
        if not os.path.exists("config-defaults.yaml"):
            return
        conf_dict = config_util.dict_from_config_file("config-defaults.yaml")
        if conf_dict is not None:
            self.update(conf_dict)

    def _sanitize_dict(self, config_dict, allow_val_change=None, ignore_keys: set | None = None):
        sanitized = {}
        for k, v in config_dict.items():
            if ignore_keys and k in ignore_keys:
                continue
            k, v = self._sanitize(k, v, allow_val_change)
            sanitized[k] = v
        return sanitized

    def _sanitize(self, key, val, allow_val_change=None):
        key = key.strip("-")
        val = _json_friendly_val(val)
        if (not allow_val_change) and (key in self._items) and (val != self._items[key]):
            raise config_util.ConfigError(
                f'Attempted to change value of key "{key}" '
                f"from {self._items[key]} to {val}\n"
                "If you really want to do this, pass"
                " allow_val_change=True to config.update()"
            )
        return key, val


# The real class lives in wandb.sdk.wandb_config and its name shows up in messages
# ("<class 'wandb.sdk.wandb_config.Config'> object has no attribute 'x'"); a shim
# module at that path re-exports this class so the name also resolves.
Config.__module__ = "wandb.sdk.wandb_config"
