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
# DOCS_TRACE_DIR. Every Python process of that test whose main program can be a listing
# (the example itself, and the programs `wandb agent` launches for it) records the lines
# of those files it executed, so that a line no example ever reaches fails the gate like a
# wrong one.
#
# Cost: a global trace function is called at every Python function call of the process
# (Python 3.11 has no cheaper hook). Two things keep that small, neither of which can hide
# a line that did not run (at worst a line that ran would look unexecuted, and the gate
# would fail):
# - only a process whose main program can be a listing traces: the harness's `python -c`,
#   which runs a listing with runpy, or `python <file>` for one of the traced files; the
#   `wandb` command (`wandb sweep`, `wandb agent`) and other programs run no listing code;
# - while an `import` statement runs (numpy, the sweep engine, ...), nothing is traced:
#   listings are programs, not modules another listing imports.
import os as _os
import sys as _sys

_trace_dir = _os.environ.get("DOCS_TRACE_DIR")
_trace_files = set(filter(None, _os.environ.get("DOCS_TRACE_FILES", "").split(_os.pathsep)))
_main = _sys.argv[0] if _sys.argv else ""
if _trace_dir and _trace_files and (_main == "-c" or _os.path.abspath(_main) in _trace_files):
    import atexit as _atexit
    import builtins as _builtins
    import threading as _threading

    _hits: dict[str, set[int]] = {}
    _traced: dict[str, bool] = {}  # co_filename -> is it one of the traced files

    # --- a breakpoint for tests that signal a trial at a known point ---------------------
    # DOCS_STOP_AT=<file>:<line>:<n> (set by harness.PageListings.start): the n-th time a
    # process reaches that line of a traced snippet, it stops itself (SIGSTOP) before
    # running it, after creating DOCS_STOP_DIR/<pid> so that the test finds it. Signals
    # that arrive while it is stopped are held, and handled once it continues, as if they
    # had arrived at that line: the program's Python handler runs, a default action
    # (terminate...) happens. The handler runs in a helper thread, whose frames are traced
    # (a trace function cannot trace what it calls itself, sys.call_tracing included);
    # what it raises (SystemExit from sys.exit...) is raised again here, at that line.
    _stop_at = _os.environ.get("DOCS_STOP_AT")
    _stop_dir = _os.environ.get("DOCS_STOP_DIR")
    _stop_file, _stop_line, _stop_nth = (None, 0, 0)
    if _stop_at and _stop_dir:
        _file, _line, _nth = _stop_at.rsplit(":", 2)
        _stop_file, _stop_line, _stop_nth = _os.path.abspath(_file), int(_line), int(_nth)
    _stop_seen = [0]

    def _breakpoint(frame):
        import signal as _signal

        held = _signal.valid_signals() - {_signal.SIGKILL, _signal.SIGSTOP}
        previous = _signal.pthread_sigmask(_signal.SIG_BLOCK, held)
        open(_os.path.join(_stop_dir, str(_os.getpid())), "w").close()
        _os.kill(_os.getpid(), _signal.SIGSTOP)
        received = []
        for signum in sorted(_signal.sigpending()):
            if _signal.sigtimedwait({signum}, 0) is not None:
                received.append(signum)
        _signal.pthread_sigmask(_signal.SIG_SETMASK, previous)
        for signum in received:
            handler = _signal.getsignal(signum)
            if callable(handler):
                raised = []

                def call(handler=handler, signum=signum):
                    try:
                        handler(signum, frame)
                    except BaseException as e:  # noqa: BLE001 (raised again below)
                        raised.append(e)

                helper = _threading.Thread(target=call, name=f"signal-{signum}")
                helper.start()
                helper.join()
                if raised:
                    raise raised[0]
            elif handler == _signal.SIG_DFL:
                _os.kill(_os.getpid(), signum)

    def _local(frame, event, arg):
        if event == "line":
            _hits[frame.f_code.co_filename].add(frame.f_lineno)
            if frame.f_lineno == _stop_line and _os.path.abspath(frame.f_code.co_filename) == _stop_file:
                _stop_seen[0] += 1
                if _stop_seen[0] == _stop_nth:
                    _breakpoint(frame)
        return _local

    def _global(frame, event, arg):
        name = frame.f_code.co_filename
        traced = _traced.get(name)
        if traced is None:
            traced = _traced[name] = _os.path.abspath(name) in _trace_files
            if traced:
                _hits.setdefault(name, set())
        if traced:
            _hits[name].add(frame.f_lineno)
            return _local
        return None

    _real_import = _builtins.__import__

    def _untraced_import(name, globals=None, locals=None, fromlist=(), level=0):
        if _sys.gettrace() is None:
            return _real_import(name, globals, locals, fromlist, level)
        _sys.settrace(None)
        try:
            return _real_import(name, globals, locals, fromlist, level)
        finally:
            _sys.settrace(_global)

    def _dump():
        import json

        path = _os.path.join(_trace_dir, f"{_os.getpid()}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({_os.path.abspath(k): sorted(v) for k, v in _hits.items()}, f)

    _builtins.__import__ = _untraced_import
    _sys.settrace(_global)
    _threading.settrace(_global)
    _atexit.register(_dump)
