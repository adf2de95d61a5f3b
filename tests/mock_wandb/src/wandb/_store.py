"""The SQLite store that stands in for the W&B server.

One file, ``$WANDB_DIR/wandb/mock-store.sqlite``, holds sweeps and runs
(config, summary, history, metadata) so that ``wandb sweep`` in one process and
any number of ``wandb agent`` processes in others share a sweep.

Concurrency: WAL journal, a generous busy timeout, and every read-modify-write
(notably claiming the next trial of a sweep) inside ``BEGIN IMMEDIATE``, which
takes the database's write lock before reading.  Two agents therefore never
see the same set of claimed trials, so no grid point is run twice or lost and
``run_cap`` holds across agents.

It also plays the server's side of the agent protocol (``createAgent`` and
``agentHeartbeat`` in wandb/apis/public/sweeps.py, 0.31): an agent registers,
then heartbeats with the runs it is running and gets commands back, decided
from the sweep's state (see ``agent_heartbeat``).
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
CREATE TABLE IF NOT EXISTS agents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    sweep_id TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    state TEXT NOT NULL,
    total_runs INTEGER NOT NULL DEFAULT 0,
    running TEXT NOT NULL DEFAULT '[]',
    heartbeats INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    heartbeat_at REAL
);
CREATE TABLE IF NOT EXISTS stop_requests (
    run_id TEXT PRIMARY KEY,
    requested REAL NOT NULL
);
"""

_SCHEMA_VERSION = 2

TERMINAL_STATES = ("finished", "failed", "crashed", "killed", "preempted")

# The states `wandb sweep --pause/--resume/--stop/--cancel` set (SweepState in
# wandb/apis/public/sweeps.py).
SWEEP_STATES = ("RUNNING", "PAUSED", "CANCELED", "FINISHED")

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


class NeedsEngine(Exception):
    """Raised inside a heartbeat that must propose a new trial while the caller said the
    sweep engine is not loaded yet: the caller loads it outside the lock and asks again."""


def _claim(
    conn: sqlite3.Connection,
    sweep: dict[str, Any],
    propose: Callable[[dict, list[dict], int], dict | None] | None,
    make_run_id: Callable[[int], str],
    claimed_by: str,
    agent_id: str | None,
) -> dict[str, Any] | None:
    """The next trial of a RUNNING sweep as an agent command, or None when it has nothing
    left (then the sweep is FINISHED).

    A preempted run comes first: the same run, with the same parameters, is handed out
    again as a ``resume`` command (W&B requeues a run that called ``mark_preempting()``
    and then ended with a non-zero exit code or no exit code). Otherwise the engine
    proposes a new trial (``run``), unless ``run_cap`` runs exist.
    """
    sweep_id = sweep["id"]
    requeued = conn.execute(
        "SELECT * FROM runs WHERE sweep_id = ? AND state = 'preempted' ORDER BY seq LIMIT 1", (sweep_id,)
    ).fetchone()
    if requeued is not None:
        row = _row(requeued)
        metadata = dict(row["metadata"] or {})
        metadata.update(agent_pid=os.getpid(), agent_id=agent_id, requeued=metadata.get("requeued", 0) + 1)
        conn.execute(
            "UPDATE runs SET state = 'pending', exit_code = NULL, metadata = ? WHERE id = ?",
            (_dumps(metadata), row["id"]),
        )
        return {"type": "resume", "run_id": row["id"], "args": row["params"] or {}}
    config = sweep["config"]
    runs = [_row(r) for r in conn.execute("SELECT * FROM runs WHERE sweep_id = ? ORDER BY seq", (sweep_id,))]
    run_cap = config.get("run_cap")
    if isinstance(run_cap, int) and len(runs) >= run_cap:
        return None
    if propose is None:
        raise NeedsEngine
    trial = len(runs)
    params = propose(config, runs, trial)
    if params is None:
        return None
    attempt = 0
    while True:
        run_id = make_run_id(trial + attempt * 1000003)
        if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
            break
        attempt += 1
    metadata = {"launched_by": claimed_by, "agent_pid": os.getpid()}
    if agent_id is not None:
        metadata["agent_id"] = agent_id
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
            _dumps(metadata),
            time.time(),
        ),
    )
    return {"type": "run", "run_id": run_id, "args": params}


def register_agent(sweep_id: str, host: str) -> str:
    """``createAgent``: record an agent of a sweep and return its id."""
    from wandb._ids import new_id

    with transaction() as conn:
        count = conn.execute("SELECT COUNT(*) FROM agents").fetchone()[0]
        attempt = 0
        while True:
            agent_id = new_id(sweep_id, "agent", count + attempt * 1000003)
            if conn.execute("SELECT 1 FROM agents WHERE id = ?", (agent_id,)).fetchone() is None:
                break
            attempt += 1
        conn.execute(
            "INSERT INTO agents (id, sweep_id, host, pid, state, created) VALUES (?,?,?,?,?,?)",
            (agent_id, sweep_id, host, os.getpid(), "RUNNING", time.time()),
        )
    return agent_id


def agent_heartbeat(
    agent_id: str,
    running: list[str],
    *,
    propose: Callable[[dict, list[dict], int], dict | None] | None,
    make_run_id: Callable[[int], str],
    claimed_by: str,
) -> list[dict[str, Any]]:
    """``agentHeartbeat``: the agent reports the runs it is running; the commands it gets
    back depend on the sweep's state, as the W&B server decides them:

    * ``RUNNING``: ``stop`` for each of its runs someone asked to stop; when it runs
      nothing, the next trial (``resume`` for a preempted run, else ``run``), or ``exit``
      when the sweep has nothing left (the sweep becomes ``FINISHED``);
    * ``PAUSED``: nothing (the agent waits and asks again);
    * ``FINISHED`` (``wandb sweep --stop``): nothing while its run goes on, ``exit`` once
      it runs nothing;
    * ``CANCELED`` (``wandb sweep --cancel``): ``exit`` at once (the agent kills its runs).

    Raises NeedsEngine when a new trial must be proposed and ``propose`` is None.
    """
    with transaction() as conn:
        agent = conn.execute("SELECT * FROM agents WHERE id = ?", (agent_id,)).fetchone()
        if agent is None:
            raise KeyError(agent_id)
        conn.execute(
            "UPDATE agents SET heartbeats = heartbeats + 1, heartbeat_at = ?, running = ? WHERE id = ?",
            (time.time(), _dumps(sorted(running)), agent_id),
        )
        sweep = _row(conn.execute("SELECT * FROM sweeps WHERE id = ?", (agent["sweep_id"],)).fetchone())
        state = sweep["state"] if sweep else "FINISHED"
        commands: list[dict[str, Any]] = []
        if state == "CANCELED":
            return [{"type": "exit"}]
        if running:
            marks = ",".join("?" * len(running))
            stops = conn.execute(f"SELECT run_id FROM stop_requests WHERE run_id IN ({marks})", running)
            commands += [{"type": "stop", "run_id": r[0]} for r in stops]
            return commands
        if state == "PAUSED":
            return []
        if state != "RUNNING":
            return [{"type": "exit"}]
        command = _claim(conn, sweep, propose, make_run_id, claimed_by, agent_id)
        if command is None:
            conn.execute("UPDATE sweeps SET state = 'FINISHED' WHERE id = ?", (sweep["id"],))
            return [{"type": "exit"}]
        conn.execute("UPDATE agents SET total_runs = total_runs + 1 WHERE id = ?", (agent_id,))
        return [command]


def agent_exited(agent_id: str) -> None:
    with transaction() as conn:
        conn.execute("UPDATE agents SET state = 'FINISHED', running = '[]' WHERE id = ?", (agent_id,))


def get_agent(agent_id: str) -> dict[str, Any] | None:
    row = connect().execute("SELECT * FROM agents WHERE id = ?", (agent_id,)).fetchone()
    if row is None:
        return None
    d = dict(row)
    import json

    d["running"] = json.loads(d["running"])
    return d


def sweep_agents(sweep_id: str) -> list[dict[str, Any]]:
    ids = [r[0] for r in connect().execute("SELECT id FROM agents WHERE sweep_id = ? ORDER BY seq", (sweep_id,))]
    return [a for a in map(get_agent, ids) if a is not None]


def request_stop(run_id: str) -> None:
    """Ask the agent running ``run_id`` to stop it (what stopping a run in the web app, or
    early termination, does): its next heartbeats answer with a ``stop`` command for it."""
    with transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO stop_requests (run_id, requested) VALUES (?, ?)", (run_id, time.time()))


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


def mark_preempting(run_id: str) -> None:
    """``run.mark_preempting()``: the run is ``preempting`` from now on (the real SDK
    reports it to the server at once)."""
    with transaction() as conn:
        conn.execute("UPDATE runs SET state = 'preempting' WHERE id = ? AND state = 'running'", (run_id,))


def settle_trial(run_id: str, returncode: int) -> None:
    """After a trial's process ended: give a run that did not finish itself a final state.

    The W&B server decides these states; the mock decides them at once, from the exit
    status the agent saw, where the server waits for the run's missing heartbeats (about
    five minutes, says W&B's documentation):

    * a run that marked itself preempting and ends with a non-zero status, or killed by a
      signal, is ``preempted`` (and requeued, see ``_claim``);
    * otherwise a process killed by a signal leaves its run ``crashed``, a non-zero
      status ``failed``, status 0 ``finished``.
    """
    if returncode == 0:
        state = "finished"
    elif returncode < 0:
        state = "crashed"  # killed by a signal
    else:
        state = "failed"
    with transaction() as conn:
        if returncode != 0:
            conn.execute(
                "UPDATE runs SET state = 'preempted', exit_code = COALESCE(exit_code, ?)"
                " WHERE id = ? AND state = 'preempting'",
                (returncode, run_id),
            )
        conn.execute(
            "UPDATE runs SET state = ?, exit_code = COALESCE(exit_code, ?)"
            " WHERE id = ? AND state IN ('pending', 'running', 'preempting')",
            (state, returncode, run_id),
        )
        if returncode != 0:
            # A run that called finish() itself but whose process then failed still failed.
            conn.execute(
                "UPDATE runs SET state = ? WHERE id = ? AND state = 'finished' AND COALESCE(exit_code, 0) = 0",
                (state, run_id),
            )
        conn.execute("DELETE FROM stop_requests WHERE run_id = ?", (run_id,))


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
