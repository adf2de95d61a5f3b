"""Run and sweep ids: 8 lowercase alphanumerics like the real ones.

Without WANDB_MOCK_SEED they are random (from os.urandom, like the real
``generate_id``).  With it, an id is a hash of the seed and of what it names
(``sweep`` + how many sweeps the store holds, or the sweep id + the trial
index, or ``run`` + how many runs), so the same seed and the same calls give
the same ids in any process.
"""

from __future__ import annotations

import random
import string

from wandb import _settings

_ALPHABET = string.ascii_lowercase + string.digits


_system_random = random.SystemRandom()


def _sha256(data: bytes) -> bytes:
    # hashlib loads OpenSSL (~10 ms); the builtin module is enough here.
    try:
        from _sha2 import sha256  # Python >= 3.12
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[no-redef]  # Python <= 3.11
        except ImportError:
            from hashlib import sha256  # type: ignore[no-redef]
    return sha256(data).digest()


def random_id(length: int = 8) -> str:
    # SystemRandom draws from os.urandom like ``secrets`` (which would import hashlib).
    return "".join(_system_random.choice(_ALPHABET) for _ in range(length))


def seeded_id(*parts: object, length: int = 8) -> str:
    digest = _sha256(":".join(str(p) for p in parts).encode())
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
    digest = _sha256(":".join(str(p) for p in parts).encode())
    return int.from_bytes(digest[:4], "big")
