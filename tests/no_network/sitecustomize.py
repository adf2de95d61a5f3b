"""Imported by every Python process the doc tests start (it is first on PYTHONPATH).

Examples run offline, like the mock SDK they talk to: any attempt to open a network
connection fails loudly instead of silently reaching out. Local socket pairs (used by
asyncio and multiprocessing) stay allowed.
"""

import socket

_real_socket = socket.socket


class _NoNetworkSocket(_real_socket):
    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"network access blocked in doc tests: connect({address!r})")
        return super().connect(address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"network access blocked in doc tests: connect_ex({address!r})")
        return super().connect_ex(address)


def _blocked_create_connection(address, *args, **kwargs):
    raise OSError(f"network access blocked in doc tests: create_connection({address!r})")


socket.socket = _NoNetworkSocket
socket.create_connection = _blocked_create_connection


# --- which snippet lines ran --------------------------------------------------------------
# The harness names the snippet files of a test in DOCS_TRACE_FILES and a folder in
# DOCS_TRACE_DIR. Every Python process of that test (the example itself, and the programs
# `wandb agent` launches for it) records the lines of those files it executed, so that a
# line no example ever reaches fails the gate like a wrong one.
import os as _os

_trace_dir = _os.environ.get("DOCS_TRACE_DIR")
_trace_files = set(filter(None, _os.environ.get("DOCS_TRACE_FILES", "").split(_os.pathsep)))
if _trace_dir and _trace_files:
    import atexit as _atexit
    import json as _json
    import sys as _sys
    import threading as _threading

    _hits: dict[str, set[int]] = {}

    def _local(frame, event, arg):
        if event == "line":
            _hits.setdefault(frame.f_code.co_filename, set()).add(frame.f_lineno)
        return _local

    _known: dict[str, bool] = {}

    def _global(frame, event, arg):
        name = frame.f_code.co_filename
        if name not in _known:
            _known[name] = _os.path.abspath(name) in _trace_files
        if _known[name]:
            _hits.setdefault(name, set()).add(frame.f_lineno)
            return _local
        return None

    def _dump():
        path = _os.path.join(_trace_dir, f"{_os.getpid()}.json")
        with open(path, "w", encoding="utf-8") as f:
            _json.dump({_os.path.abspath(k): sorted(v) for k, v in _hits.items()}, f)

    _sys.settrace(_global)
    _threading.settrace(_global)
    _atexit.register(_dump)
