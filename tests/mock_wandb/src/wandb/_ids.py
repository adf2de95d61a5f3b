"""Run and sweep ids: 8 lowercase alphanumerics like the real ones.

Without WANDB_MOCK_SEED they are random (``secrets``, like the real
``generate_id``).  With it, an id is a hash of the seed and of what it names
(``sweep`` + how many sweeps the store holds, or the sweep id + the trial
index, or ``run`` + how many runs), so the same seed and the same calls give
the same ids in any process.
"""

from __future__ import annotations

import hashlib
import secrets
import string

from wandb import _settings

_ALPHABET = string.ascii_lowercase + string.digits


def random_id(length: int = 8) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def seeded_id(*parts: object, length: int = 8) -> str:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[index])
    return "".join(chars)


def new_id(*parts: object) -> str:
    """A seeded id from ``parts`` when WANDB_MOCK_SEED is set, else a random one."""
    seed = _settings.seed()
    if seed is None:
        return random_id()
    return seeded_id(seed, *parts)


def seed_int(*parts: object) -> int:
    """A 32-bit integer seed derived from the mock seed and ``parts``."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big")
