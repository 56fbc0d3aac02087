"""The local tracker's storage in a git repository: what ``LocalTracker`` calls to read (``refresh``
first) and to write (``create``, ``append``) when its project is a git repository."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import NotFound
from ...project.database import ensure_schema, transaction
from ...project.gitrepo import git
from .history import IssueState
from .index import SCHEMA, LazyReader, Refreshed, RefsIndex, id_of
from .merge import Integrated, integrate, split_listing
from .store import RefStore
from .writes import append_op, create_ref, new_issue_id

SETTLE_NS = 500_000_000  # a folder changed this recently may change again within its mtime tick


class RefsFingerprint:
    """The modification times of the places git keeps issue refs (the ref folders, ``packed-refs``):
    unchanged, no ref under ``refs/dsl/`` moved. None when it cannot tell (a reftable repository, a
    folder changed in the last half second): then the refs are listed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._common: Path | None = None

    def current(self) -> tuple[int, ...] | None:
        if self._common is None:
            common = git(self.root, "rev-parse", "--git-common-dir", check=False).stdout.strip()
            self._common = (self.root / common).resolve() if common else self.root / ".git"
        if (self._common / "reftable").exists():
            return None
        dsl = self._common / "refs" / "dsl"
        places = [self._common / "packed-refs", dsl, dsl / "issues", dsl / "remotes"]
        remotes = dsl / "remotes"
        if remotes.is_dir():
            for remote in sorted(remotes.iterdir()):
                places += [remote, remote / "issues"]
        stamps: list[int] = []
        for place in places:
            try:
                info = place.stat()
            except FileNotFoundError:
                stamps += [0, 0]
                continue
            stamps += [info.st_mtime_ns, info.st_size]
        if time.time_ns() - max(stamps) < SETTLE_NS:
            return None
        return tuple(stamps)


def refs_repository(database: Path) -> Path | None:
    """The git repository whose refs hold the issues of the project database ``database``: the
    project root (``<root>/.dsl/dsl.sqlite``) when it is the top of a git work tree; else None."""
    root = database.parent.parent
    return root if database.parts[-2:] == (".dsl", "dsl.sqlite") and (root / ".git").exists() else None


@dataclass
class RefreshReport:
    integrated: Integrated = field(default_factory=Integrated)
    indexed: Refreshed = field(default_factory=Refreshed)


class IssueRefs:
    """Issue refs of the repository at ``root`` and their index in the tracker's database."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = RefStore(root)
        self.index = RefsIndex(self.store)
        self._migrated = False
        self.fingerprint = RefsFingerprint(root)
        self._seen: tuple[int, ...] | None = None
        self._lock = threading.Lock()

    def prepare(self, conn: sqlite3.Connection, database: Path) -> None:
        """Create the index tables; move issues made before refs into refs (once)."""
        ensure_schema(conn, "issue_refs", 1, SCHEMA)
        with self._lock:
            if not self._migrated:
                from .migrate import migrate_once

                migrate_once(conn, self, database)
                self._migrated = True

    def refresh(self, conn: sqlite3.Connection) -> RefreshReport:
        """Merge refs staged by a fetch, then index every issue whose ref moved. A read in a process that
        saw the refs unchanged since (``RefsFingerprint``) runs no git at all."""
        report = RefreshReport()
        seen = self.fingerprint.current()
        if seen is not None and seen == self._seen:
            return report

        def listing() -> dict[str, str]:
            local, staged = split_listing(self.store.tips("refs/dsl/"))
            if staged:
                with ExitStack() as stack:
                    read = LazyReader(self.store, stack)
                    report.integrated = integrate(conn, self.store, self.index.cache, read, local, staged)
            return local

        report.indexed = self.index.refresh(conn, listing)
        self._seen = seen
        return report

    def create(self, conn: sqlite3.Connection, title: str, body: str, labels: list[str]) -> int:
        """A new issue numbered one past the largest number; numbering is serialized by the index's
        write lock, so two processes creating at once get two numbers."""
        self.refresh(conn)
        issue = new_issue_id()
        with transaction(conn), ExitStack() as stack:
            row = conn.execute("SELECT COALESCE(MAX(number), 0) AS n FROM issues").fetchone()
            number = int(row["n"]) + 1
            tip = create_ref(
                self.store, issue, {"title": title, "body": body, "labels": labels, "number": number}
            )
            state = self.index.state_of(issue, tip, LazyReader(self.store, stack))
            self.index.write(conn, [state])
        return number

    def append(self, conn: sqlite3.Connection, number: int, kind: str, fields: dict[str, Any]) -> str:
        """One operation on issue ``number`` (which exists); returns the commit that holds it."""
        issue = id_of(conn, number)
        if issue is None:  # callers check first; another process may have renumbered it meanwhile
            raise NotFound(f"issue #{number} does not exist in the local tracker")
        with ExitStack() as stack:
            read = LazyReader(self.store, stack)
            sha = append_op(self.store, self.index.cache, read, issue, kind, fields)
            state = self.index.state_of(issue, sha, read)
        self.reindex(conn, [state])
        return sha

    def reindex(self, conn: sqlite3.Connection, states: list[IssueState]) -> None:
        with transaction(conn):
            self.index.forget(conn, [state.id for state in states])
            self.index.write(conn, states)

    def comment_key(self, conn: sqlite3.Connection, comment_id: int, number: int) -> str:
        """The key (the commit that made it) of comment ``comment_id`` of issue ``number``."""
        row = conn.execute(
            "SELECT k.key FROM issue_comments c JOIN comment_keys k ON k.comment = c.id "
            "WHERE c.id = ? AND c.issue = ?",
            (comment_id, number),
        ).fetchone()
        if row is None:
            raise NotFound(f"issue #{number} has no comment {comment_id}")
        return str(row["key"])

    def comment_row(
        self, conn: sqlite3.Connection, key: str, edit: dict[str, Any] | None = None, number: int = 0
    ) -> tuple[int, int, str, str, str]:
        """(id, issue, body, author, created_at) of the comment ``key``, after ``edit`` if given."""
        if edit is not None:
            self.append(conn, number, "comment_edit", edit)
        row = conn.execute(
            "SELECT c.* FROM issue_comments c JOIN comment_keys k ON k.comment = c.id WHERE k.key = ?", (key,)
        ).fetchone()
        return (row["id"], row["issue"], row["body"], row["author"], row["created_at"])
