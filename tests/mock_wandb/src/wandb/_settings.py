"""Environment-derived settings: directories, default entity/project, the seed.

Choices (documented for readers of the docs):

* ``WANDB_DIR`` names the directory *in which* a ``wandb/`` folder is created,
  exactly as in the real SDK (default: the current directory).  The store is
  ``$WANDB_DIR/wandb/mock-store.sqlite`` (so ``./wandb/mock-store.sqlite`` by
  default) and the agent's parameter files are
  ``$WANDB_DIR/wandb/sweep-<id>/config-<run>.yaml`` like the real agent writes them.
* Default entity: ``WANDB_ENTITY`` or ``mock-entity`` (the real SDK asks the
  server for the user's default entity; offline it has none).
* Default project: ``WANDB_PROJECT`` or ``uncategorized``, the real SDK's
  project name when none is given (the real ``wandb sweep`` CLI would derive it
  from the git repository name; the mock does not, for stable output).
* ``WANDB_MOCK_SEED``: when set, ids and sampling are reproducible (see _ids.py).
"""

from __future__ import annotations

import os

DEFAULT_ENTITY = "mock-entity"
DEFAULT_PROJECT = "uncategorized"
SEED_ENV = "WANDB_MOCK_SEED"


def base_dir() -> str:
    return os.path.abspath(os.environ.get("WANDB_DIR") or os.getcwd())


def wandb_dir() -> str:
    """The ``wandb/`` folder that holds the store and the parameter files."""
    return os.path.join(base_dir(), "wandb")


def store_path() -> str:
    return os.path.join(wandb_dir(), "mock-store.sqlite")


def default_entity() -> str:
    return os.environ.get("WANDB_ENTITY") or DEFAULT_ENTITY


def default_project() -> str:
    return os.environ.get("WANDB_PROJECT") or DEFAULT_PROJECT


def seed() -> str | None:
    value = os.environ.get(SEED_ENV)
    return value if value not in (None, "") else None
