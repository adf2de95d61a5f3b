"""Loaded by every Python subprocess the tests start (via PYTHONPATH): no sockets.

The mock must never open one; a trial or agent that tries fails loudly.
"""

import socket


class _BlockedSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        raise RuntimeError("network access is blocked in the mock's tests")


socket.socket = _BlockedSocket  # type: ignore[misc]
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(  # type: ignore[assignment]
    RuntimeError("network access is blocked in the mock's tests")
)
