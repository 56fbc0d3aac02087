"""Shared by the batch tests: polling the real run store, the process tree of a driver."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

GRID_HOLD = "grid:\n  n: [0, 1, 2, 3, 4, 5]\n"


def wait_for(check: Callable[[], Any], what: str, limit: float = 120.0) -> Any:
    """Poll until ``check()`` is truthy (a generous limit: this is about progress, not speed)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def rows(root: Path, sql: str, *args: Any) -> list[sqlite3.Row]:
    path = root / ".dsl" / "dsl.sqlite"
    if not path.exists():
        return []
    conn = sqlite3.connect(path, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError:  # the tables do not exist yet
        return []
    finally:
        conn.close()


def statuses(root: Path) -> list[str]:
    return sorted(r["status"] for r in rows(root, "SELECT status FROM runs"))


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those still running (a zombie awaiting its parent's wait counts as gone)."""
    found = []
    for proc in processes:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except psutil.NoSuchProcess:
            pass
    return found
