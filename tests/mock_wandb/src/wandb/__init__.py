"""Reference mock of the W&B SDK (wandb 0.31 subset), offline and local.

Every example of the docs runs against this package instead of the W&B
service.  It mirrors the real SDK's names, signatures, messages and exception
types for the subset listed in ``__all__``, uses W&B's own sweep engine (the
``sweeps`` package) and keeps sweeps and runs in a SQLite store under
``$WANDB_DIR/wandb/`` so that ``wandb sweep`` and ``wandb agent`` processes
share them.  It never opens a socket.

Import is kept cheap: the store, the sweep engine, numpy and yaml are imported
inside the functions that need them.
"""

from __future__ import annotations

__version__ = "0.31.0"

from wandb.errors import CommError, Error, UsageError
from wandb._term import termerror, termlog, termwarn
from wandb._config import Config
from wandb._run import Run
from wandb._summary import Summary
from wandb import _preinit
from wandb._init import finish, init, login, setup, teardown
from wandb._sweep import controller, sweep
from wandb._agent import agent
from wandb.sdk import wandb_helper as helper

join = finish

# Globals, rewired by init() and finish() like in the real SDK.
run: Run | None = None
config = _preinit.PreInitObject("wandb.config", Config)
summary = _preinit.PreInitObject("wandb.summary", Summary)
log = _preinit.PreInitCallable("wandb.log", Run.log)
define_metric = _preinit.PreInitCallable("wandb.define_metric", Run.define_metric)


def __getattr__(name: str):
    # Like the real SDK: the public API is imported on first use.
    if name == "Api":
        from wandb.apis.public import Api

        return Api
    if name == "Histogram":
        from wandb.sdk.data_types.histogram import Histogram

        return Histogram
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = (
    "__version__",
    "init",
    "finish",
    "join",
    "setup",
    "teardown",
    "login",
    "sweep",
    "controller",
    "agent",
    "config",
    "log",
    "summary",
    "run",
    "define_metric",
    "Api",
    "helper",
    "Histogram",
    "Run",
    "Config",
    "Error",
    "CommError",
    "UsageError",
    "termlog",
    "termwarn",
    "termerror",
)
