"""Exception types of the real SDK (wandb/errors/errors.py in wandb 0.31).

They live at the same dotted path as the real ones so that tracebacks print the
same qualified names (``wandb.errors.errors.UsageError: ...``).
"""

from __future__ import annotations


class Error(Exception):
    """Base W&B Error."""

    def __init__(self, message: str, context: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.context = context or {}


class CommError(Error):
    """Error communicating with W&B servers."""

    def __init__(self, msg: str, exc: Exception | None = None) -> None:
        self.exc = exc
        self.message = msg
        super().__init__(self.message)


class AuthenticationError(CommError):
    """Raised when authentication fails."""


class UsageError(Error):
    """Raised when an invalid usage of the SDK API is detected."""


class UnsupportedError(UsageError):
    """Raised when trying to use a feature that is not supported."""
