"""A fork server: imports an SDK once, then runs each Python listing in a child forked from
it, so that the session pays `import wandb` (about 0.45 s for the real SDK, more for the
mock's sweep engine) once per side instead of once per listing.

    python forkserver.py <socket path> <what to load first: module, module:attribute, module:function()> ...

A client connects to the Unix socket, sends one JSON request and reads one JSON answer:

    {"argv": ["train.py", ...], "cwd": ..., "env": {...}, "stdout": <file>, "stderr": <file>,
     "append": false, "process_group": false, "timeout": <seconds>}
    -> {"returncode": n}              (-9: killed after its timeout)

The child becomes what `python train.py ...` would be, as far as the listing can tell: its
folder, its environment (`os.environ` replaced, then hooks/sitecustomize.begin() reads its
role from it), stdin from /dev/null, stdout and stderr to the given files, `sys.argv`, the
script's folder first on `sys.path`; the script runs as `__main__` (runpy.run_path, the way
tests/harness.py runs every listing on the mock); an uncaught exception goes through
`sys.excepthook` (the real SDK's exit hooks included) and gives exit status 1, `sys.exit`
its own; the interpreter then shuts down as usual (atexit: the SDK finishes its runs and
stops its service process). What differs from a fresh interpreter: the modules imported
first are already in `sys.modules` (their import-time work is not repeated), and the
traceback of an uncaught exception also shows runpy's frames (dropped with the SDK's by the
library-frames normalisation).
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import socket
import sys
import time


def child(request: dict) -> None:
    """Run the request's script in this (forked) process; never returns."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    if request.get("process_group"):
        os.setpgid(0, 0)  # as subprocess.Popen(process_group=0)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    mode = os.O_APPEND if request.get("append") else os.O_TRUNC
    for fd, key in ((1, "stdout"), (2, "stderr")):
        os.dup2(os.open(request[key], os.O_WRONLY | os.O_CREAT | mode, 0o644), fd)
    script = request["argv"][0]
    sys.argv = list(request["argv"])
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    import runpy

    import sitecustomize  # tests/real_sdk/hooks, first on PYTHONPATH

    sitecustomize.begin()
    code: object = 0
    try:
        runpy.run_path(os.path.abspath(script), run_name="__main__")  # code named by its full path, as `python x.py` does
    except SystemExit as e:
        code = e.code
    except BaseException:  # what the interpreter does with an uncaught exception
        sys.excepthook(*sys.exc_info())
        code = 1
    # As the interpreter treats sys.exit's argument; then the usual shutdown (atexit).
    raise SystemExit(code)


def request(path: str, req: dict, timeout: float) -> int:
    """Run a request on the fork server listening at `path`; its exit status."""
    req = {**req, "timeout": timeout}  # the server kills the child after it
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout + 60)
        conn.connect(path)
        conn.sendall(json.dumps(req).encode() + b"\n")
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = conn.recv(4096)
            if not chunk:
                raise RuntimeError(f"the fork server ended while running {req['argv']}")
            answer += chunk
    return json.loads(answer)["returncode"]


def main() -> None:
    path, preload = sys.argv[1], sys.argv[2:]
    for name in preload:  # "module", "module:attribute" (read it) or "module:function()" (call it)
        module, _, attribute = name.partition(":")
        loaded = importlib.import_module(module)
        if attribute:
            value = getattr(loaded, attribute.removesuffix("()"))
            if attribute.endswith("()"):
                value()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    print("ready", flush=True)
    waiting: dict[int, socket.socket] = {}  # child pid -> the client waiting for it
    deadlines: dict[int, float] = {}  # child pid -> when it is killed (the request's "timeout")
    while True:
        # Poll for finished children every 50 ms while some run; otherwise wait for a client
        # or for stdin to close (the session is over).
        ready, _, _ = select.select([server, sys.stdin], [], [], 0.05 if waiting else None)
        if sys.stdin in ready and not sys.stdin.readline():
            break
        if server in ready:
            conn, _ = server.accept()
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                server.close()
                conn.close()
                child(json.loads(data))
            waiting[pid] = conn
            deadlines[pid] = time.monotonic() + json.loads(data).get("timeout", 3600)
        for pid, deadline in list(deadlines.items()):
            if time.monotonic() > deadline:  # hung: its client hears exit status -9
                os.kill(pid, signal.SIGKILL)
                del deadlines[pid]
        while waiting:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            conn = waiting.pop(pid)
            deadlines.pop(pid, None)
            conn.sendall(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
            conn.close()
    for pid in list(waiting):  # the session is over: a child still running has hung
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    server.close()


if __name__ == "__main__":
    main()
