"""Placeholders for ``wandb.config``/``wandb.log``/... before ``wandb.init()``.

Same messages as ``wandb/sdk/lib/preinit.py``: using them raises
``wandb.Error("You must call wandb.init() before wandb.log()")`` and friends.
"""

from __future__ import annotations

from typing import Any, Callable

from wandb.errors import Error


class PreInitObject:
    def __init__(self, name: str, destination: Any | None = None) -> None:
        self._name = name
        if destination is not None:
            self.__doc__ = destination.__doc__

    def __getitem__(self, key: str) -> None:
        raise Error(f"You must call wandb.init() before {self._name}[{key!r}]")

    def __setitem__(self, key: str, value: Any) -> Any:
        raise Error(f"You must call wandb.init() before {self._name}[{key!r}]")

    def __setattr__(self, key: str, value: Any) -> Any:
        if not key.startswith("_"):
            raise Error(f"You must call wandb.init() before {self._name}.{key}")
        return object.__setattr__(self, key, value)

    def __getattr__(self, key: str) -> Any:
        if not key.startswith("_"):
            raise Error(f"You must call wandb.init() before {self._name}.{key}")
        raise AttributeError


def PreInitCallable(name: str, destination: Any | None = None) -> Callable:  # noqa: N802
    def preinit_wrapper(*args: Any, **kwargs: Any) -> Any:
        raise Error(f"You must call wandb.init() before {name}()")

    preinit_wrapper.__name__ = str(name)
    if destination:
        # Like the real one: inspect.signature() follows __wrapped__ to Run.<method>.
        preinit_wrapper.__wrapped__ = destination  # type: ignore[attr-defined]
        preinit_wrapper.__doc__ = destination.__doc__
    return preinit_wrapper
