"""The run index: SQLite tables in the project database (``.dsl/dsl.sqlite``), next to local issues.

Filters a list view needs (notebook, status, issue, batch, identity, start time) are indexed columns;
metrics live in their own ``(run, name) -> value`` table with an index on ``(name, value)``, so
"notebook X, status succeeded, auc > 0.9" over 100,000 runs is a few index lookups. The full record
is kept as JSON; the package list of an environment is stored once per fingerprint.
"""

from __future__ import annotations

import json
import math
import os
import socket
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .. import hints
from ..errors import InvalidInput, NotFound
from ..hints import Hint
from ..project.database import connect, ensure_schema, transaction
from ..project.settings import Project
from .records import RunRecord, canonical_json, now_iso

SCHEMA = "runs"
SCHEMA_VERSION = 1
_STATEMENTS = [
    "CREATE TABLE IF NOT EXISTS run_environments (fingerprint TEXT PRIMARY KEY, data TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS runs (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        notebook TEXT NOT NULL,
        status TEXT NOT NULL,
        issue_number INTEGER,
        batch_id TEXT,
        identity TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        duration_s REAL,
        environment TEXT,
        host TEXT,
        pid INTEGER,
        parameters TEXT NOT NULL,
        record TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS runs_by_notebook ON runs (notebook, status, started_at)",
    "CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status, started_at)",
    "CREATE INDEX IF NOT EXISTS runs_by_issue ON runs (issue_number, started_at)",
    "CREATE INDEX IF NOT EXISTS runs_by_batch ON runs (batch_id, started_at)",
    "CREATE INDEX IF NOT EXISTS runs_by_identity ON runs (identity, status)",
    "CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started_at)",
    """CREATE TABLE IF NOT EXISTS run_metrics (
        run_pk INTEGER NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value REAL,
        PRIMARY KEY (run_pk, name)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS run_metrics_by_value ON run_metrics (name, value)",
]

_METRIC_MATCH = "SELECT 1 FROM run_metrics m WHERE m.run_pk = runs.pk AND m.name = ? AND m.value"
# the failing cell's position is error.cell_index; a record written before cell_index held it in "cell"
_LIST_COLUMNS = (
    "id, notebook, status, issue_number, batch_id, started_at, duration_s, parameters, "
    "json_extract(record, '$.defaults') AS defaults, "
    "(SELECT json_group_object(name, value) FROM run_metrics WHERE run_pk = runs.pk) AS metrics, "
    "CASE WHEN json_type(record, '$.error') = 'object' THEN json_object("
    "'cell', coalesce(json_extract(record, '$.error.cell_index'), "
    "json_extract(record, '$.error.cell')) + 1, "
    "'cell_index', coalesce(json_extract(record, '$.error.cell_index'), "
    "json_extract(record, '$.error.cell')), "
    "'ename', json_extract(record, '$.error.ename'), "
    "'evalue', json_extract(record, '$.error.evalue')) END AS error"
)
_SHOWN_MATCHES = 8  # ids listed when a partial id is ambiguous
_OPERATORS = {">": ">", ">=": ">=", "<": "<", "<=": "<=", "=": "=", "==": "=", "!=": "!="}


@dataclass(frozen=True)
class MetricFilter:
    name: str
    op: str  # one of _OPERATORS
    value: float

    @classmethod
    def parse(cls, text: str) -> MetricFilter:
        """``auc>0.9``, ``loss <= 0.2``, ``n=3``."""
        for op in (">=", "<=", "!=", "==", ">", "<", "="):
            name, found, number = text.partition(op)
            if found and name.strip():
                try:
                    return cls(name.strip(), op, float(number))
                except ValueError:
                    break
        raise InvalidInput(
            f"cannot read the metric filter {text!r}", hint="Write it as NAME>VALUE, e.g. auc>=0.9."
        )


@dataclass
class RunQuery:
    notebook: str | None = None  # relative to the project root
    status: str | None = None
    issue: int | None = None
    batch_id: str | None = None
    metrics: Sequence[MetricFilter] = ()
    data: Sequence[tuple[str, str | None]] = ()  # (dataset, version or None): runs that read it
    limit: int | None = 100  # newest first; None: all


@dataclass
class RunSummary:
    """One row of a list view: what a table of runs shows, without the full record."""

    id: str
    notebook: str
    status: str
    issue: int | None
    batch_id: str | None
    started_at: str
    duration_s: float | None
    parameters: dict[str, Any]
    metrics: dict[str, float] = field(default_factory=dict)
    # a failed run's cell (from 1), cell_index (from 0), ename and evalue; no traceback
    error: dict[str, Any] | None = None
    defaults: dict[str, Any] = field(default_factory=dict)  # the values of the parameters not given

    @property
    def used_parameters(self) -> dict[str, Any]:
        """Every value the run used: the parameters it was given over its notebook's defaults."""
        return {**self.defaults, **self.parameters}

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _metric_rows(pk: int, metrics: dict[str, float]) -> list[tuple[int, str, float | None]]:
    return [(pk, name, value if math.isfinite(value) else None) for name, value in metrics.items()]


def notebook_key(project: Project, path: Path) -> str:
    """How runs name a notebook: its POSIX path relative to the project root."""
    try:
        return project.relative(path)
    except ValueError:
        raise InvalidInput(f"{path} is not inside the project at {project.root}") from None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_unique_id(
    conn: sqlite3.Connection, table: Literal["runs", "batches"], text: str, nouns: tuple[str, str], hint: Hint
) -> str:
    """The one id in ``table`` (``runs`` or ``batches``) that contains ``text`` (case-insensitive).

    A text that is the whole random part of one id names it even when other ids contain it in their
    date. ``NotFound`` ("no run 'x'") when no id contains it, ``InvalidInput`` listing them when several
    do. ``nouns``: the singular and plural the messages use; ``hint``: where the ids are listed.
    """
    noun, plural = nouns
    text = text.strip()
    if not text:
        raise NotFound(f"no {noun} id given", hint=hint)
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' ORDER BY id",  # noqa: S608
        (pattern,),
    ).fetchall()
    ids = [str(r[0]) for r in rows]
    if len(ids) > 1:
        suffix = "-" + text.lower()
        ids = [i for i in ids if i.lower().endswith(suffix)] or ids
    if not ids:
        raise NotFound(f"no {noun} {text!r}", hint=hint)
    if len(ids) > 1:
        shown = ", ".join(ids[:_SHOWN_MATCHES])
        more = f" and {len(ids) - _SHOWN_MATCHES} more" if len(ids) > _SHOWN_MATCHES else ""
        raise InvalidInput(
            f"{text!r} matches several {plural} ({len(ids)}): {shown}{more}",
            hint="Give more of the id, e.g. its last part (the random one).",
        )
    return ids[0]


class RunStore:
    """The run index of one project database. Safe for several processes (WAL, immediate writes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect(path)
        ensure_schema(self.conn, SCHEMA, SCHEMA_VERSION, _STATEMENTS)
        self._environments: set[str] = set()  # fingerprints this connection saw committed

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---

    def _row(self, record: RunRecord) -> dict[str, Any]:
        return {
            "id": record.id,
            "notebook": record.notebook,
            "status": record.status,
            "issue_number": record.issue.number if record.issue else None,
            "batch_id": record.batch_id,
            "identity": record.identity,
            "started_at": record.started_at,
            "finished_at": record.finished_at,
            "duration_s": record.duration_s,
            "environment": record.environment.fingerprint if record.environment else None,
            "host": record.host,
            "pid": record.pid,
            "parameters": canonical_json(record.parameters),
            "record": json.dumps(record.to_json(packages=False), ensure_ascii=False, default=str),
        }

    def _save_environment(self, record: RunRecord) -> str | None:
        """Store the record's package list once per fingerprint (rows are never removed, so one
        this connection saw committed is not written again); the fingerprint written, if any."""
        env = record.environment
        if env is None or not env.packages or env.fingerprint in self._environments:
            return None
        self.conn.execute(
            "INSERT OR IGNORE INTO run_environments (fingerprint, data) VALUES (?, ?)",
            (env.fingerprint, canonical_json(env.packages)),
        )
        return env.fingerprint

    def insert_many(self, records: Iterable[RunRecord]) -> None:
        saved: set[str | None] = set()
        with transaction(self.conn):
            for record in records:
                saved.add(self._save_environment(record))
                row = self._row(record)
                columns = ", ".join(row)
                marks = ", ".join(f":{k}" for k in row)
                cursor = self.conn.execute(f"INSERT INTO runs ({columns}) VALUES ({marks})", row)  # noqa: S608
                pk = int(cursor.lastrowid or 0)
                self.conn.executemany(
                    "INSERT INTO run_metrics (run_pk, name, value) VALUES (?, ?, ?)",
                    _metric_rows(pk, record.metrics),
                )
        self._environments |= {f for f in saved if f is not None}

    def insert(self, record: RunRecord) -> None:
        self.insert_many([record])

    def update(self, record: RunRecord) -> None:
        row = self._row(record)
        assignments = ", ".join(f"{k} = :{k}" for k in row if k != "id")
        with transaction(self.conn):
            saved = self._save_environment(record)
            found = self.conn.execute("SELECT pk FROM runs WHERE id = ?", (record.id,)).fetchone()
            if found is None:
                raise NotFound(f"run {record.id} is not in the run index")
            self.conn.execute(f"UPDATE runs SET {assignments} WHERE id = :id", row)  # noqa: S608
            self.conn.execute("DELETE FROM run_metrics WHERE run_pk = ?", (found["pk"],))
            self.conn.executemany(
                "INSERT INTO run_metrics (run_pk, name, value) VALUES (?, ?, ?)",
                _metric_rows(int(found["pk"]), record.metrics),
            )
        if saved is not None:
            self._environments.add(saved)

    # --- reading ---

    def _record(self, row: sqlite3.Row) -> RunRecord:
        record = RunRecord.from_json(json.loads(row["record"]))
        if record.environment is not None and not record.environment.packages:
            env = self.conn.execute(
                "SELECT data FROM run_environments WHERE fingerprint = ?", (record.environment.fingerprint,)
            ).fetchone()
            if env is not None:
                record.environment.packages = json.loads(env["data"])
        return record

    def get(self, run_id: str) -> RunRecord:
        """A run by id, or by any part of its id that names one run (``3f9a1c``, ``0131-1425``)."""
        row = self.conn.execute("SELECT record FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is not None:
            return self._record(row)
        row = self.conn.execute("SELECT record FROM runs WHERE id = ?", (self.find_id(run_id),)).fetchone()
        return self._record(row)

    def find_id(self, text: str) -> str:
        """The id of the one run whose id contains ``text`` (see :func:`find_unique_id`)."""
        return find_unique_id(self.conn, "runs", text, ("run", "runs"), hints.list_runs())

    def _where(self, query: RunQuery) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        for column, value in (
            ("notebook", query.notebook),
            ("status", query.status),
            ("issue_number", query.issue),
            ("batch_id", query.batch_id),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        for metric in query.metrics:
            op = _OPERATORS.get(metric.op)
            if op is None:
                raise InvalidInput(
                    f"unknown comparison {metric.op!r}", hint=f"Use one of {' '.join(_OPERATORS)}."
                )
            # op is one of _OPERATORS' values, never the caller's text
            clauses.append(f"EXISTS ({_METRIC_MATCH} {op} ?)")
            args += [metric.name, metric.value]
        for dataset, version in query.data:  # the datasets a run read (jupyter_dsl.dataset)
            read = f'$.inputs."{dataset}"'  # a checked dataset name: lower-case letters, digits, dashes
            clauses.append(
                "json_type(record, ?) = 'object'" if version is None else "json_extract(record, ?) = ?"
            )
            args += [read] if version is None else [f"{read}.version", version]
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def query(self, query: RunQuery) -> list[RunSummary]:
        where, args = self._where(query)
        limit = " LIMIT ?" if query.limit is not None else ""
        sql = f"SELECT {_LIST_COLUMNS} FROM runs{where} ORDER BY started_at DESC, pk DESC{limit}"  # noqa: S608
        rows = self.conn.execute(sql, [*args, query.limit] if limit else args).fetchall()
        return [
            RunSummary(
                id=row["id"],
                notebook=row["notebook"],
                status=row["status"],
                issue=row["issue_number"],
                batch_id=row["batch_id"],
                started_at=row["started_at"],
                duration_s=row["duration_s"],
                parameters=json.loads(row["parameters"]),
                defaults=json.loads(row["defaults"] or "{}"),
                metrics={k: v for k, v in json.loads(row["metrics"] or "{}").items() if v is not None},
                error=json.loads(row["error"]) if row["error"] is not None else None,
            )
            for row in rows
        ]

    def count(self, query: RunQuery) -> int:
        where, args = self._where(query)
        return int(self.conn.execute(f"SELECT count(*) FROM runs{where}", args).fetchone()[0])  # noqa: S608

    def stamp(self, query: RunQuery) -> str:
        """Changes whenever a run the query finds is added, finishes, is reaped or removed: a cheap
        "anything new?" for a view that polls (the count, the newest row, the latest end, those running)."""
        where, args = self._where(query)
        row = self.conn.execute(
            "SELECT count(*), coalesce(max(pk), 0), coalesce(max(finished_at), ''), "  # noqa: S608
            f"coalesce(sum(status = 'running'), 0) FROM runs{where}",
            args,
        ).fetchone()
        return f"{row[0]}-{row[1]}-{row[2]}-{row[3]}"

    def records(self, query: RunQuery) -> list[RunRecord]:
        """Full records of the runs a query finds (newest first)."""
        return [self.get(summary.id) for summary in self.query(query)]

    def identities(self, identities: Iterable[str], status: str = "succeeded") -> set[str]:
        """Which of ``identities`` already have a run with ``status`` (for resuming a batch)."""
        wanted = list(identities)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.conn.execute(
                f"SELECT DISTINCT identity FROM runs WHERE status = ? AND identity IN ({marks})",  # noqa: S608
                [status, *chunk],
            ).fetchall()
            found.update(r["identity"] for r in rows)
        return found

    def reap(self) -> list[str]:
        """Mark runs of this host whose recording process is gone (killed hard) as ``killed`` (``lost`` for
        a batch's runs: its driver died)."""
        host = socket.gethostname()
        rows = self.conn.execute(
            "SELECT id, pid, batch_id FROM runs WHERE status = 'running' AND host = ?", (host,)
        ).fetchall()
        in_batch = {r["id"] for r in rows if r["batch_id"]}
        dead = [r["id"] for r in rows if r["pid"] is None or not pid_alive(int(r["pid"]))]
        for run_id in dead:
            record = self.get(run_id)
            if record.status != "running":
                continue
            record.status = "lost" if run_id in in_batch else "killed"  # a batch's driver died
            record.finished_at = record.finished_at or now_iso()
            record.warnings.append("the process recording this run ended without finishing the record")
            self.update(record)
        return dead
