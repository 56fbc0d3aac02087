"""The embedded SQLite database (``.dsl/dsl.sqlite``): one connection recipe for every table owner.

WAL mode lets readers (the sidebar, ``jupyter dsl runs``) work while a writer records; a busy
timeout and ``BEGIN IMMEDIATE`` transactions make concurrent writers queue instead of failing.
Each module that owns tables creates them itself with ``ensure_schema``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ConfigError

BUSY_TIMEOUT_S = 30.0


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating its folder) the database at ``path`` in WAL mode, autocommit, rows as dicts."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except (OSError, sqlite3.Error) as exc:
        raise ConfigError(f"cannot open the jupyter-dsl database {path}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    try:
        _enable_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
    except sqlite3.Error as exc:  # "file is not a database", a read-only folder...
        conn.close()
        raise ConfigError(f"cannot open the jupyter-dsl database {path}: {exc}") from exc
    return conn


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL; the switch can answer "locked" at once (no busy wait) while another process
    creates the same database, so wait for that process here instead of failing."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that takes the lock up front, so two writers never deadlock."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def ensure_schema(conn: sqlite3.Connection, name: str, version: int, statements: list[str]) -> None:
    """Create a module's tables once; ``schema_versions`` remembers which module is at which version."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL)"
    )
    row = conn.execute("SELECT version FROM schema_versions WHERE name = ?", (name,)).fetchone()
    if row is not None and row["version"] >= version:
        return
    with transaction(conn):
        row = conn.execute("SELECT version FROM schema_versions WHERE name = ?", (name,)).fetchone()
        if row is not None and row["version"] >= version:
            return
        for statement in statements:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_versions (name, version) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET version = excluded.version",
            (name, version),
        )
