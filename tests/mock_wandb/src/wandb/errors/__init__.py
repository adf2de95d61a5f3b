"""``wandb.errors`` as in the real SDK: the exception types, re-exported."""

from .errors import (
    AuthenticationError,
    CommError,
    Error,
    UnsupportedError,
    UsageError,
)

__all__ = ["Error", "CommError", "AuthenticationError", "UsageError", "UnsupportedError"]
