"""``WBValue``: the base class of the values ``wandb.log`` serializes (wandb 0.31 subset).

A subclass names its ``_log_type`` and returns its JSON form from ``to_json``; the mock's
``Run.log`` stores that JSON in the history row and the summary, as the real SDK does.
"""

from __future__ import annotations

from typing import Any, ClassVar


class WBValue:
    """Typed objects that can be logged with `wandb.log()` and visualized by wandb."""

    _log_type: ClassVar[str | None] = None

    def to_json(self, run: Any = None) -> dict:
        raise NotImplementedError
