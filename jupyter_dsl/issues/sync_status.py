"""Whether the project's local issues can sync with a git remote, and when they last did (the
``issue_syncs`` table ``trackers.gitrefs.sync`` writes): what the sidebar shows beside its sync button."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..errors import DslError
from ..project.settings import Project
from ..trackers.gitrefs.sync import choose_remote
from .sync import local_tracker_with_refs


@dataclass
class SyncStatus:
    possible: bool
    remote: str | None  # the remote a sync uses (None: it cannot sync)
    last_sync: str | None  # ISO time (UTC) of the last sync with any remote, None: never
    reason: str | None  # why it cannot sync (the core's message), None when it can

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def sync_status(project: Project) -> SyncStatus:
    """Can ``sync_project(project)`` run (local issues in git, a remote to pick), and its last time."""
    try:
        tracker = local_tracker_with_refs(project)
    except DslError as exc:
        return SyncStatus(False, None, None, exc.message)
    try:
        assert tracker.refs is not None
        row = tracker.conn.execute("SELECT MAX(synced_at) AS at FROM issue_syncs").fetchone()
        last = str(row["at"]) if row and row["at"] else None
        try:
            remote = choose_remote(tracker.refs, None, project.settings.branches.remote)
        except DslError as exc:
            return SyncStatus(False, None, last, exc.message)
        return SyncStatus(True, remote, last, None)
    finally:
        tracker.close_connection()
