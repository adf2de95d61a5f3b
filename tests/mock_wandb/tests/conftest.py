"""Fixtures for the mock's unit tests.

* Sockets are blocked in this process (``socket.socket`` raises) and in every
  Python subprocess (``_nosocket/sitecustomize.py`` on PYTHONPATH).
* Each test runs in its own temporary directory, which is also WANDB_DIR, with
  the mock's global state reset (active runs, environment variables the
  agents export, cached store connections).
* Ctrl+C is not ignored: the processes the tests start get SIGINT's default, as
  from a terminal, even when pytest itself was started with SIGINT ignored.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
NOSOCKET_DIR = str(HERE / "_nosocket")
# The tests import their helpers (mockhelpers.py) whatever pytest's import mode is.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

# A shell without job control starts a background command (`pytest ... &` in a script)
# with SIGINT ignored, and an ignored signal stays ignored in every process started
# from it: the agents the tests start would then ignore the Ctrl+C the tests send (and
# Python would install no KeyboardInterrupt handler). A handler installed here is reset
# to the default when a child process starts, so they get SIGINT as from a terminal.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

_ENV_VARS = (
    "WANDB_DIR",
    "WANDB_MODE",
    "WANDB_ENTITY",
    "WANDB_PROJECT",
    "WANDB_SWEEP_ID",
    "WANDB_RUN_ID",
    "WANDB_SWEEP_PARAM_PATH",
    "WANDB_MOCK_SEED",
    "WANDB_SILENT",
    "WANDB_AGENT_DISABLE_FLAPPING",
    "WANDB_AGENT_MAX_INITIAL_FAILURES",
)


class _BlockedSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        raise RuntimeError("network access is blocked in the mock's tests")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    monkeypatch.setattr(socket, "socket", _BlockedSocket)


@pytest.fixture(autouse=True)
def wandb_env(tmp_path, monkeypatch):
    import wandb
    from wandb import _init, _store

    for name in _ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WANDB_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    pythonpath = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", NOSOCKET_DIR + (os.pathsep + pythonpath if pythonpath else ""))
    yield tmp_path
    wandb.teardown()
    _store.flush()
    _init._agent_kind = None
    for conn in _store._connections.values():
        conn.close()
    _store._connections.clear()
