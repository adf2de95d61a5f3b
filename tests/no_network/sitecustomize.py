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
