"""The SQLite store that stands in for the W&B server.

One file, ``$WANDB_DIR/wandb/mock-store.sqlite``, holds sweeps and runs
(config, summary, history, metadata) so that ``wandb sweep`` in one process and
any number of ``wandb agent`` processes in others share a sweep.

Concurrency: WAL journal, a generous busy timeout, and every read-modify-write
(notably claiming the next trial of a sweep) inside ``BEGIN IMMEDIATE``, which
takes the database's write lock before reading.  Two agents therefore never
see the same set of claimed trials, so no grid point is run twice or lost and
``run_cap`` holds across agents.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from wandb import _settings

if TYPE_CHECKING:
    import sqlite3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sweeps (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    entity TEXT NOT NULL,
    project TEXT NOT NULL,
    name TEXT,
    config TEXT NOT NULL,
    state TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    entity TEXT NOT NULL,
    project TEXT NOT NULL,
    sweep_id TEXT,
    trial INTEGER,
    params TEXT,
    name TEXT,
    state TEXT NOT NULL,
    config TEXT NOT NULL DEFAULT '{}',
    summary TEXT NOT NULL DEFAULT '{}',
    history TEXT NOT NULL DEFAULT '[]',
    metadata TEXT NOT NULL DEFAULT '{}',
    exit_code INTEGER,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_sweep ON runs (sweep_id, trial);
"""

_SCHEMA_VERSION = 1

TERMINAL_STATES = ("finished", "failed", "crashed", "killed")

_connections: dict[tuple[int, str], sqlite3.Connection] = {}

# Write-behind for runs outside sweeps: their start and finish records are queued
# and written on the next use of the store in this process, or at exit.  That
# keeps a plain ``init`` + ``log`` + ``finish`` free of sqlite (fast), while any
# reader (Api, agents, sweeps) in this process sees them, and other processes
# see them once this one has exited.
_deferred: list[tuple[str, Callable[..., None], tuple]] = []
_atexit_registered = False


def defer(fn: Callable[..., None], *args: Any) -> None:
    global _atexit_registered
    _deferred.append((_settings.store_path(), fn, args))
    if not _atexit_registered:
        import atexit

        atexit.register(flush)
        _atexit_registered = True


def flush() -> None:
    """Write the queued records (each to the store that was current when queued)."""
    # Take the whole queue first: the writes below reconnect, which flushes again.
    queued = list(_deferred)
    _deferred.clear()
    for path, fn, args in queued:
        previous = os.environ.get("WANDB_DIR")
        os.environ["WANDB_DIR"] = os.path.dirname(os.path.dirname(path))
        try:
            fn(*args)
        finally:
            if previous is None:
                os.environ.pop("WANDB_DIR", None)
            else:
                os.environ["WANDB_DIR"] = previous


def connect() -> sqlite3.Connection:
    """A connection per process and store path (sqlite3 objects must not cross a fork)."""
    if _deferred:
        flush()
    path = _settings.store_path()
    key = (os.getpid(), path)
    conn = _connections.get(key)
    if conn is None:
        import sqlite3

        os.makedirs(os.path.dirname(path), exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
        conn = sqlite3.connect(path, timeout=60.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 60000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # user_version marks a store whose tables exist: skip a write transaction.
        if conn.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
            with _write(conn):
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        _connections[key] = conn
    return conn


@contextmanager
def _write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def transaction() -> Iterator[sqlite3.Connection]:
    """A write transaction holding the store's lock from the first read."""
    with _write(connect()) as conn:
        yield conn


def _row(row: sqlite3.Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    import json

    d = dict(row)
    for key in ("config", "summary", "history", "metadata", "params"):
        if key in d and d[key] is not None:
            d[key] = json.loads(d[key])
    return d


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, default=str)


# --- sweeps -----------------------------------------------------------------


def create_sweep(entity: str, project: str, config: dict, make_id: Callable[[int], str]) -> str:
    with transaction() as conn:
        count = conn.execute("SELECT COUNT(*) FROM sweeps").fetchone()[0]
        attempt = 0
        while True:
            sweep_id = make_id(count + attempt)
            if conn.execute("SELECT 1 FROM sweeps WHERE id = ?", (sweep_id,)).fetchone() is None:
                break
            attempt += 1
        conn.execute(
            "INSERT INTO sweeps (id, entity, project, name, config, state, created) VALUES (?,?,?,?,?,?,?)",
            (sweep_id, entity, project, config.get("name"), _dumps(config), "RUNNING", time.time()),
        )
    return sweep_id


def get_sweep(sweep_id: str) -> dict[str, Any] | None:
    return _row(connect().execute("SELECT * FROM sweeps WHERE id = ?", (sweep_id,)).fetchone())


def set_sweep_state(sweep_id: str, state: str) -> None:
    with transaction() as conn:
        conn.execute("UPDATE sweeps SET state = ? WHERE id = ?", (state, sweep_id))


# --- runs ---------------------------------------------------------------------


def claim_trial(
    sweep_id: str,
    propose: Callable[[dict, list[dict], int], dict | None],
    make_run_id: Callable[[int], str],
    claimed_by: str,
) -> tuple[str, dict] | None:
    """Atomically pick the next trial of a sweep and record it as a pending run.

    ``propose(config, runs, trial_index)`` returns the parameters
    ``{name: {"value": v}}`` or None when the search space is exhausted.
    Returns ``(run_id, params)`` or None when the sweep has nothing left
    (exhausted, run_cap reached, or stopped).
    """
    with transaction() as conn:
        sweep = _row(conn.execute("SELECT * FROM sweeps WHERE id = ?", (sweep_id,)).fetchone())
        if sweep is None or sweep["state"] != "RUNNING":
            return None
        config = sweep["config"]
        runs = [
            _row(r)
            for r in conn.execute("SELECT * FROM runs WHERE sweep_id = ? ORDER BY seq", (sweep_id,))
        ]
        run_cap = config.get("run_cap")
        if isinstance(run_cap, int) and len(runs) >= run_cap:
            conn.execute("UPDATE sweeps SET state = 'FINISHED' WHERE id = ?", (sweep_id,))
            return None
        trial = len(runs)
        params = propose(config, runs, trial)
        if params is None:
            conn.execute("UPDATE sweeps SET state = 'FINISHED' WHERE id = ?", (sweep_id,))
            return None
        attempt = 0
        while True:
            run_id = make_run_id(trial + attempt * 1000003)
            if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                break
            attempt += 1
        conn.execute(
            "INSERT INTO runs (id, entity, project, sweep_id, trial, params, state, config, metadata, created)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                run_id,
                sweep["entity"],
                sweep["project"],
                sweep_id,
                trial,
                _dumps(params),
                "pending",
                _dumps({k: v["value"] for k, v in params.items()}),
                _dumps({"launched_by": claimed_by, "agent_pid": os.getpid()}),
                time.time(),
            ),
        )
    return run_id, params


def count_runs() -> int:
    return connect().execute("SELECT COUNT(*) FROM runs").fetchone()[0]


def start_run(
    run_id: str,
    entity: str,
    project: str,
    name: str | None,
    sweep_id: str | None,
    config: dict,
    metadata: dict,
) -> None:
    """Record a run as running; a trial claimed by an agent keeps its sweep, trial and launcher."""
    with transaction() as conn:
        existing = _row(conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone())
        if existing is None:
            conn.execute(
                "INSERT INTO runs (id, entity, project, sweep_id, name, state, config, metadata, created)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (run_id, entity, project, sweep_id, name, "running", _dumps(config), _dumps(metadata), time.time()),
            )
        else:
            merged = dict(existing["metadata"] or {})
            merged.update({k: v for k, v in metadata.items() if k != "launched_by" or "launched_by" not in merged})
            conn.execute(
                "UPDATE runs SET name = ?, state = 'running', config = ?, metadata = ?,"
                " sweep_id = COALESCE(sweep_id, ?) WHERE id = ?",
                (name, _dumps(config), _dumps(merged), sweep_id, run_id),
            )


def finish_run(run_id: str, state: str, exit_code: int, config: dict, summary: dict, history: list) -> None:
    with transaction() as conn:
        conn.execute(
            "UPDATE runs SET state = ?, exit_code = ?, config = ?, summary = ?, history = ? WHERE id = ?",
            (state, exit_code, _dumps(config), _dumps(summary), _dumps(history), run_id),
        )


def settle_trial(run_id: str, returncode: int) -> None:
    """After a trial's process ended: give a run that did not finish itself a final state."""
    if returncode == 0:
        state = "finished"
    elif returncode < 0:
        state = "crashed"  # killed by a signal
    else:
        state = "failed"
    with transaction() as conn:
        conn.execute(
            "UPDATE runs SET state = ?, exit_code = COALESCE(exit_code, ?)"
            " WHERE id = ? AND state IN ('pending', 'running')",
            (state, returncode, run_id),
        )
        if returncode != 0:
            # A run that called finish() itself but whose process then failed still failed.
            conn.execute(
                "UPDATE runs SET state = ? WHERE id = ? AND state = 'finished' AND COALESCE(exit_code, 0) = 0",
                (state, run_id),
            )


def get_run(run_id: str) -> dict[str, Any] | None:
    return _row(connect().execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone())


def sweep_runs(sweep_id: str) -> list[dict[str, Any]]:
    rows = connect().execute("SELECT * FROM runs WHERE sweep_id = ? ORDER BY seq", (sweep_id,))
    return [_row(r) for r in rows]  # type: ignore[misc]


def project_runs(entity: str, project: str) -> list[dict[str, Any]]:
    rows = connect().execute(
        "SELECT * FROM runs WHERE entity = ? AND project = ? ORDER BY seq", (entity, project)
    )
    return [_row(r) for r in rows]  # type: ignore[misc]


# --- the sweep's server side: local controller, early stops, progress ---------
#
# Tables of their own, created on first use, so that stores written by earlier mock
# versions keep working. ``sweep_control`` holds what a local controller writes
# (``controller``: its schedule of proposed runs and its early-stop list) and what the
# server answers (``scheduler``: which proposal became which run), as in the real
# sweep object. ``run_stops`` lists the runs that must stop early, decided by the
# server's Hyperband or by a local controller; agents deliver the stop.

_CONTROL_SCHEMA = """
CREATE TABLE IF NOT EXISTS sweep_control (
    sweep_id TEXT PRIMARY KEY,
    controller TEXT NOT NULL DEFAULT '{}',
    scheduler TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS run_stops (
    run_id TEXT PRIMARY KEY,
    sweep_id TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    created REAL NOT NULL
);
"""

_control_ready: set[tuple[int, str]] = set()

WAIT = "wait"  # claim_scheduled: nothing proposed yet, ask again later


def _control_tables(conn: sqlite3.Connection) -> None:
    key = (os.getpid(), _settings.store_path())
    if key in _control_ready:
        return
    if conn.in_transaction:
        for statement in _CONTROL_SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
    else:
        with _write(conn):
            for statement in _CONTROL_SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
    _control_ready.add(key)


def _control_row(conn: sqlite3.Connection, sweep_id: str) -> tuple[dict, dict]:
    import json

    row = conn.execute("SELECT controller, scheduler FROM sweep_control WHERE sweep_id = ?", (sweep_id,)).fetchone()
    if row is None:
        return {}, {}
    return json.loads(row[0] or "{}"), json.loads(row[1] or "{}")


def get_control(sweep_id: str) -> tuple[dict, dict]:
    """The sweep's ``controller`` and ``scheduler`` dicts ({} when never written)."""
    conn = connect()
    _control_tables(conn)
    return _control_row(conn, sweep_id)


def save_controller(sweep_id: str, controller: dict) -> None:
    """What the server does with a local controller's update: store it; a proposal of
    nothing (``args: None``) finishes the sweep; the early-stop list marks those runs."""
    with transaction() as conn:
        _control_tables(conn)
        conn.execute(
            "INSERT INTO sweep_control (sweep_id, controller) VALUES (?, ?)"
            " ON CONFLICT(sweep_id) DO UPDATE SET controller = excluded.controller",
            (sweep_id, _dumps(controller)),
        )
        schedule = controller.get("schedule") or []
        if any((entry.get("data") or {}).get("args") is None for entry in schedule):
            conn.execute("UPDATE sweeps SET state = 'FINISHED' WHERE id = ? AND state = 'RUNNING'", (sweep_id,))
        for run_id in controller.get("earlystop") or []:
            _mark_stop(conn, sweep_id, run_id, "controller")


def _mark_stop(conn: sqlite3.Connection, sweep_id: str, run_id: str, decided_by: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO run_stops (run_id, sweep_id, decided_by, created)"
        " SELECT id, sweep_id, ?, ? FROM runs WHERE id = ? AND sweep_id = ? AND state IN ('pending', 'running')",
        (decided_by, time.time(), run_id, sweep_id),
    )


def claim_scheduled(
    sweep_id: str, make_run_id: Callable[[int], str], claimed_by: str
) -> tuple[str, dict] | str | None:
    """An agent's request for work on a sweep run by a local controller: the next
    proposal of the controller's schedule becomes a pending run. Returns
    ``(run_id, params)``, ``WAIT`` when nothing is proposed yet, or None when the sweep
    has nothing left (finished, stopped, or run_cap reached)."""
    with transaction() as conn:
        _control_tables(conn)
        sweep = _row(conn.execute("SELECT * FROM sweeps WHERE id = ?", (sweep_id,)).fetchone())
        if sweep is None or sweep["state"] != "RUNNING":
            return None
        trial = conn.execute("SELECT COUNT(*) FROM runs WHERE sweep_id = ?", (sweep_id,)).fetchone()[0]
        run_cap = sweep["config"].get("run_cap")
        if isinstance(run_cap, int) and trial >= run_cap:
            conn.execute("UPDATE sweeps SET state = 'FINISHED' WHERE id = ?", (sweep_id,))
            return None
        controller, scheduler = _control_row(conn, sweep_id)
        taken = {entry.get("id") for entry in scheduler.get("scheduled") or []}
        entry = next((e for e in controller.get("schedule") or [] if e.get("id") not in taken), None)
        if entry is None:
            return WAIT
        params = (entry.get("data") or {}).get("args")
        if params is None:
            conn.execute("UPDATE sweeps SET state = 'FINISHED' WHERE id = ?", (sweep_id,))
            return None
        attempt = 0
        while True:
            run_id = make_run_id(trial + attempt * 1000003)
            if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                break
            attempt += 1
        conn.execute(
            "INSERT INTO runs (id, entity, project, sweep_id, trial, params, state, config, metadata, created)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                run_id,
                sweep["entity"],
                sweep["project"],
                sweep_id,
                trial,
                _dumps(params),
                "pending",
                _dumps({k: v["value"] for k, v in params.items()}),
                _dumps({"launched_by": claimed_by, "agent_pid": os.getpid()}),
                time.time(),
            ),
        )
        scheduler.setdefault("scheduled", []).append({"id": entry.get("id"), "runid": run_id})
        conn.execute(
            "INSERT INTO sweep_control (sweep_id, scheduler) VALUES (?, ?)"
            " ON CONFLICT(sweep_id) DO UPDATE SET scheduler = excluded.scheduler",
            (sweep_id, _dumps(scheduler)),
        )
    return run_id, params


def record_progress(run_id: str, summary: dict, history: list) -> None:
    """A running sweep run's history and summary so far, for whoever judges it."""
    with transaction() as conn:
        conn.execute(
            "UPDATE runs SET summary = ?, history = ? WHERE id = ? AND state = 'running'",
            (_dumps(summary), _dumps(history), run_id),
        )


def mark_stops(sweep_id: str, decide: Callable[[dict, list[dict]], list[str]], decided_by: str) -> list[str]:
    """Under the store's lock: ``decide(config, runs)`` names the runs to stop; mark them."""
    with transaction() as conn:
        _control_tables(conn)
        sweep = _row(conn.execute("SELECT * FROM sweeps WHERE id = ?", (sweep_id,)).fetchone())
        if sweep is None:
            return []
        runs = [_row(r) for r in conn.execute("SELECT * FROM runs WHERE sweep_id = ? ORDER BY seq", (sweep_id,))]
        names = decide(sweep["config"], runs)
        for run_id in names:
            _mark_stop(conn, sweep_id, run_id, decided_by)
    return names


def stop_requested(run_id: str) -> bool:
    conn = connect()
    _control_tables(conn)
    return conn.execute("SELECT 1 FROM run_stops WHERE run_id = ?", (run_id,)).fetchone() is not None


def stopped_run_ids(sweep_id: str) -> set[str]:
    conn = connect()
    _control_tables(conn)
    return {r[0] for r in conn.execute("SELECT run_id FROM run_stops WHERE sweep_id = ?", (sweep_id,))}


def settle_stopped(run_id: str) -> bool:
    """A run stopped early ends ``killed`` (W&B: forcibly stopped before it could finish)."""
    with transaction() as conn:
        _control_tables(conn)
        if conn.execute("SELECT 1 FROM run_stops WHERE run_id = ?", (run_id,)).fetchone() is None:
            return False
        conn.execute("UPDATE runs SET state = 'killed' WHERE id = ?", (run_id,))
    return True


def finish_sweep(sweep_id: str) -> bool:
    """A running sweep becomes FINISHED (e.g. a run reached metric.target); True if it changed."""
    with transaction() as conn:
        changed = conn.execute(
            "UPDATE sweeps SET state = 'FINISHED' WHERE id = ? AND state = 'RUNNING'", (sweep_id,)
        ).rowcount
    return bool(changed)


def sweep_marker(sweep_id: str) -> tuple:
    """Something that changes whenever the sweep, its runs or its scheduler change."""
    conn = connect()
    _control_tables(conn)
    sweep = conn.execute("SELECT state FROM sweeps WHERE id = ?", (sweep_id,)).fetchone()
    runs = conn.execute(
        "SELECT COUNT(*), group_concat(state || ':' || length(history) || ':' || length(summary)) FROM runs WHERE sweep_id = ?",
        (sweep_id,),
    ).fetchone()
    control = conn.execute("SELECT scheduler FROM sweep_control WHERE sweep_id = ?", (sweep_id,)).fetchone()
    return (tuple(sweep or ()), tuple(runs), tuple(control or ()))
