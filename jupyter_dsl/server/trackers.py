"""The server's issue trackers: one per project, kept for the server's life and closed at its shutdown.

Opening a tracker can cost a subprocess (a forge CLI's token) and holds an HTTP client or SQLite
connections, so a request borrows its project's tracker (``lease``) instead of opening one. The trackers
are shared by the request threads: the local tracker keeps a SQLite connection per thread, a forge
tracker's HTTP client is thread-safe and its ``offline_as_of`` is per thread. A changed dsl.toml (its
``[tracker]`` table, or the database the local tracker keeps its issues in) opens a new tracker; the old
one is closed once the requests using it are done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..project.settings import Project, TrackerSettings
from ..trackers import Tracker, open_tracker

SETTING = "jupyter_dsl_trackers"  # where the server's settings hold its ProjectTrackers

Key = tuple[TrackerSettings, Path]  # what the tracker was opened from: its settings and database


def close_tracker(tracker: Tracker) -> None:
    """Let go of what a tracker holds (connections, an HTTP client), for trackers that hold any."""
    close = getattr(tracker, "close_connection", None)
    if callable(close):
        close()


@dataclass
class _Entry:
    key: Key
    tracker: Tracker
    users: int = 0
    retired: bool = False  # replaced (or the registry closed): closed when its last user is done


class ProjectTrackers:
    """The open trackers, by project root; thread-safe."""

    def __init__(self, opener: Callable[[Project], Tracker] = open_tracker) -> None:
        self._open = opener
        self._entries: dict[Path, _Entry] = {}
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def lease(self, project: Project) -> Iterator[Tracker]:
        """The project's tracker for the length of a ``with`` block (opened on first use)."""
        entry = self._acquire(project)
        try:
            yield entry.tracker
        finally:
            self._release(entry)

    def _acquire(self, project: Project) -> _Entry:
        key: Key = (project.settings.tracker, project.database_path)
        idle: _Entry | None = None  # the project's previous tracker, when no request uses it
        with self._lock:  # opening under the lock: two first requests open one tracker, not two
            entry = self._entries.get(project.root)
            if entry is None or entry.key != key:
                opened = _Entry(key, self._open(project), retired=self._closed)  # may raise: nothing changed
                if entry is not None:
                    entry.retired = True
                    idle = entry if entry.users == 0 else None
                if not self._closed:
                    self._entries[project.root] = opened
                entry = opened
            entry.users += 1
        if idle is not None:
            close_tracker(idle.tracker)
        return entry

    def _release(self, entry: _Entry) -> None:
        with self._lock:
            entry.users -= 1
            done = entry.retired and entry.users == 0
        if done:
            close_tracker(entry.tracker)

    def close(self) -> None:
        """Close every tracker (those in use once their requests are done); trackers leased after this
        are closed when their request is done. Safe to call twice."""
        with self._lock:
            self._closed = True
            entries, self._entries = list(self._entries.values()), {}
            for entry in entries:
                entry.retired = True
            idle = [entry for entry in entries if entry.users == 0]
        for entry in idle:
            close_tracker(entry.tracker)
