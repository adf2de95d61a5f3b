"""``run.summary``: the last value of every logged key, nested dicts merged deeply.

Like the real Summary, a dict logged under a key stays a dict
(``summary["val_loss"]["a"]``) and later logs merge into it key by key.
Item and attribute access, ``update``, ``keys``, ``items``, ``get``.
"""

from __future__ import annotations

from typing import Any

from wandb.sdk.lib.config_util import merge_dicts


class Summary:
    def __init__(self, data: dict | None = None):
        object.__setattr__(self, "_items", {})
        object.__setattr__(self, "_user_hook", None)
        if data:
            self._items.update(data)

    def _set_user_hook(self, hook) -> None:
        """Called with each key the user sets (define_metric rules stop applying to it)."""
        object.__setattr__(self, "_user_hook", hook)

    def _user_set(self, keys) -> None:
        if self._user_hook is not None:
            for key in keys:
                self._user_hook(key)

    def _merge(self, data: dict) -> None:
        for key, value in data.items():
            if isinstance(value, dict) and isinstance(self._items.get(key), dict):
                merge_dicts(self._items[key], _copy(value))
            else:
                self._items[key] = _copy(value)

    def _as_dict(self) -> dict:
        return self._items

    def update(self, d: dict | None = None) -> None:
        self._merge(dict(d or {}))
        self._user_set(dict(d or {}))

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._items[key] = _copy(value)
        self._user_set([key])

    __setattr__ = __setitem__

    def __getattr__(self, key: str) -> Any:
        try:
            return self._items[key]
        except KeyError:
            raise AttributeError(key) from None

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self):
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def keys(self):
        return [k for k in self._items if k != "_wandb"]

    def items(self):
        return [(k, self._items[k]) for k in self.keys()]

    def values(self):
        return [self._items[k] for k in self.keys()]

    def get(self, key: str, default: Any = None) -> Any:
        return self._items.get(key, default)

    def __repr__(self) -> str:
        return repr({k: self._items[k] for k in self.keys()})


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value
