"""Batch state in the run store: what the CLI, the server and a reloaded sidebar all read.

``batches`` holds one row per batch (notebook, grid, status, and the driver's pid/host/heartbeat);
``batch_sets`` one row per parameter set (its position, identity and claim). A set's state is derived:
``queued`` / ``running`` from its claim, else the status of the run record it produced. A driver holds
the batch's lease (its token in ``batches``) and claims a set with one conditional UPDATE that also
checks that no succeeded run of that identity exists in the batch, so two drivers (two concurrent
``--resume``) can never both record a success for one parameter set. A driver whose heartbeat stops
(or whose pid is gone, on this host) is dead: its ``running`` records become ``lost``.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import hints
from ..errors import Conflict, NotFound
from ..project.database import ensure_schema, transaction
from ..runs.records import canonical_json, now_iso
from ..runs.store import RunStore, find_unique_id, pid_alive
from ..runs.table import varying

SCHEMA = "batches"
SCHEMA_VERSION = 1
HEARTBEAT_S = 2.0
STALE_S = 60.0  # a driver on another host is dead after this long without a heartbeat
_STATEMENTS = [
    """CREATE TABLE IF NOT EXISTS batches (
        id TEXT PRIMARY KEY,
        notebook TEXT NOT NULL,
        notebook_hash TEXT NOT NULL,
        kernel TEXT NOT NULL,
        grid TEXT NOT NULL,
        options TEXT NOT NULL,
        status TEXT NOT NULL,
        total INTEGER NOT NULL,
        driver_token TEXT,
        driver_pid INTEGER,
        driver_host TEXT,
        heartbeat_at REAL,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        finished_at TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS batches_by_created ON batches (created_at)",
    """CREATE TABLE IF NOT EXISTS batch_sets (
        batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        identity TEXT NOT NULL,
        position INTEGER NOT NULL,
        parameters TEXT NOT NULL,
        sources TEXT NOT NULL,
        state TEXT NOT NULL,
        owner TEXT,
        run_id TEXT,
        PRIMARY KEY (batch_id, identity)
    ) WITHOUT ROWID""",
]
# batch status: running (a driver holds it), finished, cancelled, lost (its driver died)
ACTIVE = "running"


@dataclass
class BatchRun:
    """One parameter set of a batch, as a reader sees it."""

    position: int
    identity: str
    parameters: dict[str, Any]
    state: str  # queued, running, succeeded, failed, interrupted, killed, lost
    run_id: str | None = None
    started_at: str | None = None
    duration_s: float | None = None
    error: str | None = None  # "ename: evalue"
    metrics: dict[str, float] = field(default_factory=dict)


@dataclass
class BatchState:
    id: str
    notebook: str
    kernel: str
    status: str
    total: int
    created_at: str
    finished_at: str | None
    driver_pid: int | None
    driver_host: str | None
    heartbeat_at: float | None
    cancel_requested: bool
    grid: dict[str, Any]
    options: dict[str, Any]
    runs: list[BatchRun]

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for run in self.runs:
            counts[run.state] = counts.get(run.state, 0) + 1
        return counts

    @property
    def varying(self) -> list[str]:
        """The parameters whose value differs between the batch's runs (``runs.table.varying``)."""
        return varying([run.parameters for run in self.runs])

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = self.counts
        data["varying"] = self.varying
        return data


@dataclass(frozen=True)
class NewSet:
    identity: str
    parameters: dict[str, Any]
    sources: dict[str, str]


def driver_alive(host: str | None, pid: int | None, heartbeat: float | None) -> bool:
    if heartbeat is None or time.time() - heartbeat > STALE_S:
        return False
    if host == socket.gethostname():
        return pid is not None and pid_alive(pid)
    return True


class BatchStore:
    """Batch tables on a :class:`RunStore`'s connection (one store, so one connection, per thread)."""

    def __init__(self, runs: RunStore) -> None:
        self.runs = runs
        self.conn = runs.conn
        ensure_schema(self.conn, SCHEMA, SCHEMA_VERSION, _STATEMENTS)

    # --- the driver's side ---

    def create(
        self,
        batch_id: str,
        *,
        notebook: str,
        notebook_hash: str,
        kernel: str,
        grid: dict[str, Any],
        options: dict[str, Any],
        sets: list[NewSet],
        token: str,
    ) -> None:
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO batches (id, notebook, notebook_hash, kernel, grid, options, status, total, "
                "driver_token, driver_pid, driver_host, heartbeat_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    batch_id, notebook, notebook_hash, kernel, canonical_json(grid), canonical_json(options),
                    ACTIVE, len(sets), token, _pid(), socket.gethostname(), time.time(), now_iso(),
                ),
            )  # fmt: skip
            self._add_sets(batch_id, sets, 0)

    def _add_sets(self, batch_id: str, sets: list[NewSet], start: int) -> None:
        self.conn.executemany(
            "INSERT INTO batch_sets (batch_id, identity, position, parameters, sources, state) "
            "VALUES (?, ?, ?, ?, ?, 'queued') ON CONFLICT (batch_id, identity) DO UPDATE SET "
            "state = 'queued', owner = NULL WHERE batch_sets.state != 'running'",
            [
                (batch_id, s.identity, start + i, canonical_json(s.parameters), canonical_json(s.sources))
                for i, s in enumerate(sets)
            ],
        )

    def take_over(self, batch_id: str, sets: list[NewSet], token: str) -> None:
        """Resume: become the batch's driver and queue ``sets`` again (they have no succeeded run).
        Conflict while another driver is alive; records its dead predecessor left running become lost."""
        self.reap(batch_id)
        with transaction(self.conn):
            row = self._row(batch_id)
            if row["status"] == ACTIVE:
                raise Conflict(
                    f"batch {batch_id} is still running (driver pid {row['driver_pid']} on "
                    f"{row['driver_host']})",
                    hint="Wait for it, or cancel it first.",
                )
            self.conn.execute(
                "UPDATE batches SET status = ?, driver_token = ?, driver_pid = ?, driver_host = ?, "
                "heartbeat_at = ?, cancel_requested = 0, finished_at = NULL WHERE id = ?",
                (ACTIVE, token, _pid(), socket.gethostname(), time.time(), batch_id),
            )
            start = int(
                self.conn.execute(
                    "SELECT coalesce(max(position) + 1, 0) FROM batch_sets WHERE batch_id = ?", (batch_id,)
                ).fetchone()[0]
            )
            known = self._positions(batch_id)
            fresh = [s for s in sets if s.identity not in known]
            self._add_sets(batch_id, [s for s in sets if s.identity in known], 0)
            self._add_sets(batch_id, fresh, start)
            total = self.conn.execute(
                "SELECT count(*) FROM batch_sets WHERE batch_id = ?", (batch_id,)
            ).fetchone()[0]
            self.conn.execute("UPDATE batches SET total = ? WHERE id = ?", (total, batch_id))

    def _positions(self, batch_id: str) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT identity, position FROM batch_sets WHERE batch_id = ?", (batch_id,)
        ).fetchall()
        return {r["identity"]: r["position"] for r in rows}

    def claim(self, batch_id: str, identity: str, token: str, run_id: str | None) -> bool:
        """Take one queued set for a run; False if another driver has it or it already succeeded."""
        cursor = self.conn.execute(
            "UPDATE batch_sets SET state = 'running', owner = :token, run_id = :run "
            "WHERE batch_id = :batch AND identity = :identity AND state = 'queued' "
            "AND EXISTS (SELECT 1 FROM batches WHERE id = :batch AND driver_token = :token) "
            "AND NOT EXISTS (SELECT 1 FROM runs WHERE batch_id = :batch AND identity = :identity "
            "AND status = 'succeeded')",
            {"batch": batch_id, "identity": identity, "token": token, "run": run_id},
        )
        return cursor.rowcount == 1

    def release(self, batch_id: str, identity: str, token: str, run_id: str | None) -> None:
        """A claimed set is done (run_id: its record) or, with no record, queued again."""
        state = "done" if run_id else "queued"
        self.conn.execute(
            "UPDATE batch_sets SET state = ?, run_id = coalesce(?, run_id), owner = NULL "
            "WHERE batch_id = ? AND identity = ? AND owner = ?",
            (state, run_id, batch_id, identity, token),
        )

    def heartbeat(self, batch_id: str, token: str) -> tuple[bool, bool]:
        """(still this driver's, cancel requested)."""
        cursor = self.conn.execute(
            "UPDATE batches SET heartbeat_at = ? WHERE id = ? AND driver_token = ?",
            (time.time(), batch_id, token),
        )
        row = self.conn.execute("SELECT cancel_requested FROM batches WHERE id = ?", (batch_id,)).fetchone()
        return cursor.rowcount == 1, bool(row and row["cancel_requested"])

    def finish(self, batch_id: str, token: str, status: str) -> None:
        self.conn.execute(
            "UPDATE batches SET status = ?, finished_at = ?, driver_token = NULL "
            "WHERE id = ? AND driver_token = ?",
            (status, now_iso(), batch_id, token),
        )

    # --- any reader's side ---

    def request_cancel(self, batch_id: str) -> None:
        """Ask the batch's driver (in whatever process) to cancel: it sees this at its next heartbeat."""
        self._row(batch_id)
        self.conn.execute("UPDATE batches SET cancel_requested = 1 WHERE id = ?", (batch_id,))

    def find_id(self, text: str) -> str:
        """The id of the one batch whose id contains ``text``, as run ids are found (``3f9a1c``):
        ``NotFound`` ("no batch 'x'") when none does, ``InvalidInput`` listing them when several do."""
        return find_unique_id(self.conn, "batches", text, ("batch", "batches"), hints.list_batches())

    def _row(self, batch_id: str) -> Any:
        row = self.conn.execute("SELECT * FROM batches WHERE id = ?", (batch_id,)).fetchone()
        if row is None:
            raise NotFound(
                f"no batch {batch_id!r}",
                hint=hints.list_batches(),
            )
        return row

    def reap(self, batch_id: str) -> bool:
        """If the batch's driver is dead, mark the batch and the runs it left ``running`` as lost."""
        row = self._row(batch_id)
        if row["status"] != ACTIVE or driver_alive(
            row["driver_host"], row["driver_pid"], row["heartbeat_at"]
        ):
            return False
        for found in self.conn.execute(
            "SELECT id FROM runs WHERE batch_id = ? AND status = 'running'", (batch_id,)
        ).fetchall():
            record = self.runs.get(found["id"])
            record.status = "lost"
            record.finished_at = record.finished_at or now_iso()
            record.warnings.append("the batch driver recording this run died before the run finished")
            self.runs.update(record)
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE batch_sets SET state = CASE WHEN run_id IS NULL THEN 'queued' ELSE 'done' END, "
                "owner = NULL WHERE batch_id = ? AND state = 'running'",
                (batch_id,),
            )
            self.conn.execute(
                "UPDATE batches SET status = 'lost', finished_at = ?, driver_token = NULL "
                "WHERE id = ? AND status = ? AND driver_token IS ?",
                (now_iso(), batch_id, ACTIVE, row["driver_token"]),
            )
        return True

    def succeeded(self, batch_id: str) -> set[str]:
        rows = self.conn.execute(
            "SELECT DISTINCT identity FROM runs WHERE batch_id = ? AND status = 'succeeded'", (batch_id,)
        ).fetchall()
        return {r["identity"] for r in rows}

    def stored_sets(self, batch_id: str) -> list[NewSet]:
        rows = self.conn.execute(
            "SELECT identity, parameters, sources FROM batch_sets WHERE batch_id = ? ORDER BY position",
            (batch_id,),
        ).fetchall()
        return [NewSet(r["identity"], json.loads(r["parameters"]), json.loads(r["sources"])) for r in rows]

    def state(self, batch_id: str) -> BatchState:
        """The batch as every surface shows it (a dead driver's batch is reaped first)."""
        self.reap(batch_id)
        row = self._row(batch_id)
        runs = _runs_by_identity(self.conn, batch_id)
        sets: list[BatchRun] = []
        for s in self.conn.execute(
            "SELECT * FROM batch_sets WHERE batch_id = ? ORDER BY position", (batch_id,)
        ).fetchall():
            attempts = runs.get(s["identity"], [])
            best = next((r for r in attempts if r["status"] == "succeeded"), None)
            if best is None and s["state"] == "running":
                best = next((r for r in attempts if r["id"] == s["run_id"]), None)
            if best is None and s["state"] == "done":
                best = attempts[-1] if attempts else None
            item = BatchRun(s["position"], s["identity"], json.loads(s["parameters"]), s["state"])
            if s["state"] == "running" or (best is not None and best["status"] == "succeeded"):
                item.state = "running" if best is None else best["status"]
            elif s["state"] == "done":
                item.state = best["status"] if best is not None else "lost"
            if best is not None:
                _fill(item, best)
            sets.append(item)
        return BatchState(
            id=row["id"],
            notebook=row["notebook"],
            kernel=row["kernel"],
            status=row["status"],
            total=row["total"],
            created_at=row["created_at"],
            finished_at=row["finished_at"],
            driver_pid=row["driver_pid"],
            driver_host=row["driver_host"],
            heartbeat_at=row["heartbeat_at"],
            cancel_requested=bool(row["cancel_requested"]),
            grid=json.loads(row["grid"]),
            options=json.loads(row["options"]),
            runs=sets,
        )

    def list(self, limit: int = 50, notebook: str | None = None) -> list[dict[str, Any]]:
        """The newest batches (of ``notebook``, relative to the project root, when given); a running
        batch whose driver died is reaped first, so a reader never waits on it."""
        where = " WHERE notebook = ?" if notebook is not None else ""
        args: tuple[Any, ...] = (notebook, limit) if notebook is not None else (limit,)
        order = " ORDER BY created_at DESC LIMIT ?"
        for row in self.conn.execute("SELECT id, status FROM batches" + where + order, args).fetchall():  # noqa: S608
            if row["status"] == ACTIVE:
                self.reap(row["id"])
        columns = "id, notebook, status, total, created_at, finished_at"
        rows = self.conn.execute(f"SELECT {columns} FROM batches{where}{order}", args).fetchall()  # noqa: S608
        return [dict(r) for r in rows]


def _pid() -> int:
    return os.getpid()


def _runs_by_identity(conn: Any, batch_id: str) -> dict[str, list[Any]]:
    rows = conn.execute(
        "SELECT id, identity, status, started_at, duration_s, record, "
        "(SELECT json_group_object(name, value) FROM run_metrics WHERE run_pk = runs.pk) AS metrics "
        "FROM runs WHERE batch_id = ? ORDER BY started_at, pk",
        (batch_id,),
    ).fetchall()
    found: dict[str, list[Any]] = {}
    for row in rows:
        found.setdefault(row["identity"], []).append(row)
    return found


def _fill(item: BatchRun, row: Any) -> None:
    item.run_id = row["id"]
    item.started_at = row["started_at"]
    item.duration_s = row["duration_s"]
    item.metrics = {k: v for k, v in json.loads(row["metrics"] or "{}").items() if v is not None}
    error = json.loads(row["record"]).get("error")
    if error:
        item.error = f"{error.get('ename')}: {error.get('evalue')}"
