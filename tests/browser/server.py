"""A small static file server for the built site, on 127.0.0.1 and a free port.

It behaves like a static host: files as they are, `index.html` for a folder, and for a
missing path the *nearest* `404.html` up the tree (`/es/missing/` gets `/es/404.html`,
`/missing/` gets `/404.html`) with status 404, as Cloudflare Pages does. GitHub Pages
serves only the root `404.html`.
"""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Handler(http.server.SimpleHTTPRequestHandler):
    # every request the server answered, as (method, path, status): the tests read it
    log: list[tuple[str, str, int]]

    def log_message(self, format, *args):  # quiet: the tests report what matters
        pass

    def log_request(self, code="-", size="-"):
        try:
            status = int(getattr(code, "value", code))
        except (TypeError, ValueError):
            status = 0
        self.server.requests.append((self.command, self.path, status))

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        page = self._nearest_404()
        if page is None:
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _nearest_404(self) -> Path | None:
        root = Path(self.directory).resolve()
        parts = [p for p in unquote(urlsplit(self.path).path).split("/") if p and p not in (".", "..")]
        for depth in range(len(parts), -1, -1):
            candidate = root.joinpath(*parts[:depth], "404.html")
            if candidate.is_file() and root in candidate.resolve().parents:
                return candidate
        return None

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser that closes its connection mid-answer (a page closed or left while a
        file was on its way) is no error of the site; anything else is printed as usual."""
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class SiteServer:
    """Serve `root` on 127.0.0.1:<port>. The port is bound at construction, so a build can
    use it (site_url) before serving starts."""

    def __init__(self, root: Path | None = None, port: int = 0):
        self.root = root
        handler = functools.partial(_Handler, directory=str(root or "."))
        self.httpd = _Server(("127.0.0.1", port), handler)
        self.httpd.requests = []
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        return self.httpd.requests

    def serve(self, root: Path) -> "SiteServer":
        self.root = root
        self.httpd.RequestHandlerClass = functools.partial(_Handler, directory=str(root))
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def close(self) -> None:
        """Stop serving (if it started) and free the port; closing twice is harmless."""
        if self._thread is not None:
            self.httpd.shutdown()  # returns once serve_forever() has stopped
            self._thread = None
        self.httpd.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
