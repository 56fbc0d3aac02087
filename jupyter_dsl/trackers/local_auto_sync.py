"""``[tracker] sync = "auto"``: the local tracker in git syncing its issues with the git remote after
every change, and before a read when the last sync is over a minute old. Without a remote it is the
plain local tracker; a sync that fails (offline) never fails the change: it is kept for the next one,
and ``last_sync_error`` says why."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..errors import DslError
from .base import CloseReason, Comment, Issue, IssueQuery
from .gitrefs.sync import choose_remote, sync
from .local import LocalTracker

STALE_AFTER = timedelta(minutes=1)


class AutoSyncingLocalTracker(LocalTracker):
    def __init__(self, database: Path, repository: Path, remote: str) -> None:
        super().__init__(database, repository=repository)
        self.remote = remote
        self.last_sync_error: str | None = None
        self._syncing = False

    def sync_now(self) -> None:
        if self._syncing or self.refs is None:
            return
        self._syncing = True
        try:
            remote = choose_remote(self.refs, None, self.remote)
            report = sync(self.conn, self.refs, remote, self.refresh)
            self.last_sync_error = report.push_error
        except DslError as exc:  # no remote, offline, refused: the change itself stands
            self.last_sync_error = exc.message
        finally:
            self._syncing = False

    def _sync_if_stale(self) -> None:
        if self._syncing or self.refs is None:
            return
        row = self.conn.execute("SELECT MAX(synced_at) AS at FROM issue_syncs").fetchone()
        last = datetime.fromisoformat(row["at"].replace("Z", "+00:00")) if row and row["at"] else None
        if last is None or datetime.now(timezone.utc) - last > STALE_AFTER:
            self.sync_now()

    def get(self, number: int) -> Issue:
        self._sync_if_stale()
        return super().get(number)

    def list(self, query: IssueQuery) -> builtins.list[Issue]:
        self._sync_if_stale()
        return super().list(query)

    def create(self, title: str, body: str, labels: Sequence[str]) -> Issue:
        issue = super().create(title, body, labels)
        self.sync_now()
        return self.get(issue.number)  # a sync may have renumbered it

    def comment(self, number: int, body: str) -> Comment:
        made = super().comment(number, body)
        self.sync_now()
        return made

    def edit_comment(self, number: int, comment_id: int, body: str) -> Comment:
        made = super().edit_comment(number, comment_id, body)
        self.sync_now()
        return made

    def edit(self, number: int, *, title: str | None = None, body: str | None = None) -> Issue:
        super().edit(number, title=title, body=body)
        self.sync_now()
        return super().get(number)

    def update_labels(self, number: int, *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Issue:
        super().update_labels(number, add=add, remove=remove)
        self.sync_now()
        return super().get(number)

    def close(self, number: int, reason: CloseReason = "completed") -> Issue:
        super().close(number, reason)
        self.sync_now()
        return super().get(number)

    def reopen(self, number: int) -> Issue:
        super().reopen(number)
        self.sync_now()
        return super().get(number)
