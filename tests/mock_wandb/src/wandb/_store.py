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
from the sweep's state (see ``agent_heartbeat``): the engine's next trial, or a
local controller's next proposal, and ``stop`` for each of its runs in
``stop_requests`` (asked by hand, by Hyperband or by a local controller).

Each thread has its own connection: a function agent heartbeats from one thread
while its trial writes from another, and one sqlite3 connection holds one
transaction at a time.
"""

from __future__ import annotations

import os
import threading
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
    sweep_id TEXT,
    decided_by TEXT NOT NULL,
    requested REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sweep_control (
    sweep_id TEXT PRIMARY KEY,
    controller TEXT NOT NULL DEFAULT '{}',
    scheduler TEXT NOT NULL DEFAULT '{}'
);
"""
# stop_requests: the runs that must stop, whoever decided it (``user``: request_stop, as
# stopping a run in the App; ``hyperband``: the server's early termination; ``controller``:
# a local controller's early-stop list); kept after the run ended (the controller reads a
# run's ``stopped`` from it), dropped when a preempted run is requeued.
# sweep_control: what a local controller writes (``controller``: its schedule of proposed
# runs and its early-stop list) and what the server answers (``scheduler``: which
# proposal became which run), as in the real sweep object.

_SCHEMA_VERSION = 3

TERMINAL_STATES = ("finished", "failed", "crashed", "killed", "preempted")

# The states `wandb sweep --pause/--resume/--stop/--cancel` set (SweepState in
# wandb/apis/public/sweeps.py).
SWEEP_STATES = ("RUNNING", "PAUSED", "CANCELED", "FINISHED")

_connections: dict[tuple[int, int, str], sqlite3.Connection] = {}

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
    """A connection per process, thread and store path (sqlite3 objects must not cross a
    fork, and a connection holds one transaction at a time: threads get their own)."""
    if _deferred:
        flush()
    path = _settings.store_path()
    key = (os.getpid(), threading.get_ident(), path)
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
    # BEGIN inside the try: an exception raised asynchronously in this thread (the
    # function agent's stop) right after it must still roll back.
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield conn
    except BaseException:
        if conn.in_transaction:
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
    """The next trial of a RUNNING sweep as an agent command, WAIT when a local
    controller has proposed nothing yet, or None when the sweep has nothing left (then
    the sweep is FINISHED).

    A preempted run comes first: the same run, with the same parameters, is handed out
    again as a ``resume`` command (W&B requeues a run that called ``mark_preempting()``
    and then ended with a non-zero exit code or no exit code). Otherwise, unless
    ``run_cap`` runs exist, a new trial (``run``): the next proposal of the sweep's local
    controller (``controller: {type: local}``; a proposal of nothing finishes the sweep),
    else what the engine proposes.
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
        conn.execute("DELETE FROM stop_requests WHERE run_id = ?", (row["id"],))
        return {"type": "resume", "run_id": row["id"], "args": row["params"] or {}}
    config = sweep["config"]
    runs = [_row(r) for r in conn.execute("SELECT * FROM runs WHERE sweep_id = ? ORDER BY seq", (sweep_id,))]
    run_cap = config.get("run_cap")
    if isinstance(run_cap, int) and len(runs) >= run_cap:
        return None
    trial = len(runs)
    scheduled = None
    if _has_local_controller(config):
        controller, scheduler = _control_row(conn, sweep_id)
        taken = {entry.get("id") for entry in scheduler.get("scheduled") or []}
        scheduled = next((e for e in controller.get("schedule") or [] if e.get("id") not in taken), None)
        if scheduled is None:
            return WAIT
        params = (scheduled.get("data") or {}).get("args")
    else:
        if propose is None:
            raise NeedsEngine
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
    if scheduled is not None:
        scheduler.setdefault("scheduled", []).append({"id": scheduled.get("id"), "runid": run_id})
        conn.execute(
            "INSERT INTO sweep_control (sweep_id, scheduler) VALUES (?, ?)"
            " ON CONFLICT(sweep_id) DO UPDATE SET scheduler = excluded.scheduler",
            (sweep_id, _dumps(scheduler)),
        )
    return {"type": "run", "run_id": run_id, "args": params}


WAIT = "wait"  # _claim: a local controller has proposed nothing yet; the agent asks again


def _has_local_controller(config: dict) -> bool:
    controller = config.get("controller") if isinstance(config, dict) else None
    return isinstance(controller, dict) and controller.get("type") == "local"


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
      nothing, the next trial (``resume`` for a preempted run, else ``run``: the engine's
      proposal, or a local controller's; nothing while the controller has proposed
      nothing), or ``exit`` when the sweep has nothing left (the sweep becomes
      ``FINISHED``);
    * ``PAUSED``: nothing (the agent waits and asks again);
    * ``FINISHED`` (``wandb sweep --stop``, a run that reached ``metric.target``, a local
      controller's end): nothing while its run goes on, ``exit`` once it runs nothing;
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
        if command == WAIT:
            return []
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


def request_stop(run_id: str, decided_by: str = "user") -> None:
    """Ask the agent running ``run_id`` to stop it (what stopping a run in the web app, or
    early termination, does): its next heartbeats answer with a ``stop`` command for it.
    Only a run not yet ended can be asked."""
    with transaction() as conn:
        _mark_stop(conn, None, run_id, decided_by)


def _mark_stop(conn: sqlite3.Connection, sweep_id: str | None, run_id: str, decided_by: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO stop_requests (run_id, sweep_id, decided_by, requested)"
        " SELECT id, sweep_id, ?, ? FROM runs WHERE id = ? AND (? IS NULL OR sweep_id = ?)"
        " AND state IN ('pending', 'running', 'preempting')",
        (decided_by, time.time(), run_id, sweep_id, sweep_id),
    )


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

    * a run its agent was asked to stop (``stop_requests``: by hand, Hyperband or a
      local controller) that ends with a non-zero status or by a signal is ``killed``
      (W&B: forcibly stopped before it could finish);
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
        stopped = conn.execute("SELECT 1 FROM stop_requests WHERE run_id = ?", (run_id,)).fetchone() is not None
        if returncode != 0 and stopped:
            # A stopped function trial already finished itself (exit code 1) as failed.
            conn.execute(
                "UPDATE runs SET state = 'killed', exit_code = COALESCE(exit_code, ?)"
                " WHERE id = ? AND state IN ('pending', 'running', 'preempting', 'failed')",
                (returncode, run_id),
            )
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
                (state if not stopped else "killed", run_id),
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


def _control_row(conn: sqlite3.Connection, sweep_id: str) -> tuple[dict, dict]:
    import json

    row = conn.execute("SELECT controller, scheduler FROM sweep_control WHERE sweep_id = ?", (sweep_id,)).fetchone()
    if row is None:
        return {}, {}
    return json.loads(row[0] or "{}"), json.loads(row[1] or "{}")


def get_control(sweep_id: str) -> tuple[dict, dict]:
    """The sweep's ``controller`` and ``scheduler`` dicts ({} when never written)."""
    return _control_row(connect(), sweep_id)


def save_controller(sweep_id: str, controller: dict) -> None:
    """What the server does with a local controller's update: store it; a proposal of
    nothing (``args: None``) finishes the sweep; the runs of the early-stop list get a
    stop request (their agents get ``stop`` commands)."""
    with transaction() as conn:
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


def record_progress(run_id: str, summary: dict, history: list) -> None:
    """A running sweep run's history and summary so far, for whoever judges it."""
    with transaction() as conn:
        conn.execute(
            "UPDATE runs SET summary = ?, history = ? WHERE id = ? AND state IN ('running', 'preempting')",
            (_dumps(summary), _dumps(history), run_id),
        )


def mark_stops(sweep_id: str, decide: Callable[[dict, list[dict]], list[str]], decided_by: str) -> list[str]:
    """Under the store's lock: ``decide(config, runs)`` names the runs to stop; each gets a
    stop request."""
    with transaction() as conn:
        sweep = _row(conn.execute("SELECT * FROM sweeps WHERE id = ?", (sweep_id,)).fetchone())
        if sweep is None:
            return []
        runs = [_row(r) for r in conn.execute("SELECT * FROM runs WHERE sweep_id = ? ORDER BY seq", (sweep_id,))]
        names = decide(sweep["config"], runs)
        for run_id in names:
            _mark_stop(conn, sweep_id, run_id, decided_by)
    return names


def stop_requested(run_id: str) -> bool:
    return connect().execute("SELECT 1 FROM stop_requests WHERE run_id = ?", (run_id,)).fetchone() is not None


def stopped_run_ids(sweep_id: str) -> set[str]:
    """The runs of a sweep that were asked to stop (still running, or ended since)."""
    return {r[0] for r in connect().execute("SELECT run_id FROM stop_requests WHERE sweep_id = ?", (sweep_id,))}


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
    sweep = conn.execute("SELECT state FROM sweeps WHERE id = ?", (sweep_id,)).fetchone()
    runs = conn.execute(
        "SELECT COUNT(*), group_concat(state || ':' || length(history) || ':' || length(summary)) FROM runs WHERE sweep_id = ?",
        (sweep_id,),
    ).fetchone()
    control = conn.execute("SELECT scheduler FROM sweep_control WHERE sweep_id = ?", (sweep_id,)).fetchone()
    return (tuple(sweep or ()), tuple(runs), tuple(control or ()))
