"""The SQLite index of issue refs: the local tracker's tables (issues, labels, comments) filled from
the refs, plus which ref tip each row comes from. Disposable: delete it and the next read rebuilds it.

``refresh`` compares every ref tip with the indexed one (one ``git for-each-ref``) and folds only the
issues whose tip moved, whoever moved it (this process, another one, a plain ``git fetch``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field

from ...project.database import transaction
from . import ISSUES_PREFIX
from .history import IssueState, OpCache, fold, read_history
from .ops import ISSUE_ID, BrokenHistory
from .store import CommitReader, RawCommit, RefStore

Listing = Callable[[], dict[str, str]]  # issue id -> tip of every issue ref
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS issue_keys "
    "(number INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tip TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS comment_keys (comment INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)",
    "CREATE TABLE IF NOT EXISTS issue_moves (old INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (old, id))",
    "CREATE TABLE IF NOT EXISTS issue_refused (id TEXT PRIMARY KEY, tip TEXT NOT NULL, reason TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS staged_seen (ref TEXT PRIMARY KEY, tip TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS issue_syncs (remote TEXT PRIMARY KEY, synced_at TEXT NOT NULL)",
]


@dataclass
class Refreshed:
    """What a refresh changed in the index."""

    changed: list[str] = field(default_factory=list)  # issue ids folded again
    refused: dict[str, str] = field(default_factory=dict)  # issue id -> why its history was refused
    renumbered: list[tuple[int, int, str]] = field(default_factory=list)  # (old, new, title)


class LazyReader:
    """A CommitReader started on the first cache miss only (a warm refresh starts no process)."""

    def __init__(self, store: RefStore, stack: ExitStack) -> None:
        self.store = store
        self.stack = stack
        self.reader: CommitReader | None = None

    def __call__(self, issue: str, sha: str) -> RawCommit:
        if self.reader is None:
            self.reader = self.stack.enter_context(self.store.reader())
        return self.reader.read(issue, sha)


class RefsIndex:
    def __init__(self, store: RefStore) -> None:
        self.store = store
        self.cache = OpCache()

    def state_of(self, issue: str, tip: str, read: LazyReader) -> IssueState:
        return fold(issue, tip, read_history(issue, tip, read, self.cache))

    def refresh(
        self, conn: sqlite3.Connection, listing: Callable[[], dict[str, str]] | None = None
    ) -> Refreshed:
        """Bring the index to the refs' tips (``listing``: what lists them, after the index is read)."""
        # the index is read before the refs are listed: an issue indexed meanwhile by another thread or
        # process already has its ref (refs are written first), so it is never taken for a deleted one
        known = {row["id"]: row["tip"] for row in conn.execute("SELECT id, tip FROM issue_keys")}
        refused = {row["id"]: row["tip"] for row in conn.execute("SELECT id, tip FROM issue_refused")}
        tips = self.store.tips() if listing is None else listing()
        changed = [i for i, tip in tips.items() if known.get(i) != tip and refused.get(i) != tip]
        gone = [i for i in known if i not in tips]
        done = Refreshed()
        if not changed and not gone:
            return done
        states: dict[str, IssueState] = {}
        with ExitStack() as stack:
            read = LazyReader(self.store, stack)
            for issue in changed:
                try:
                    if not ISSUE_ID.match(issue):
                        raise BrokenHistory(f"{ISSUES_PREFIX}{issue[:40]} is not an issue id")
                    states[issue] = self.state_of(issue, tips[issue], read)
                except BrokenHistory as exc:
                    done.refused[issue] = exc.message
            self._renumber(conn, states, gone, read, done)
        with transaction(conn):
            self.forget(conn, [*gone, *states, *done.refused])
            self.write(conn, states.values())
            conn.executemany(
                "INSERT OR REPLACE INTO issue_refused (id, tip, reason) VALUES (?, ?, ?)",
                [(i, tips[i], why) for i, why in done.refused.items()],
            )
        done.changed = list(states)
        return done

    def _renumber(
        self,
        conn: sqlite3.Connection,
        states: dict[str, IssueState],
        gone: list[str],
        read: LazyReader,
        done: Refreshed,
    ) -> None:
        """Two issues with one number (made in two clones, or by two processes at once): the older
        (creation time, then id) keeps it, the other gets the next free number, written as an
        operation in its history so every clone agrees."""
        holders: dict[int, list[tuple[str, str]]] = {}
        skip = set(states) | set(gone)
        for row in conn.execute(
            "SELECT k.id, i.number, i.created_at FROM issue_keys k JOIN issues i USING (number)"
        ):
            if row["id"] not in skip:
                holders.setdefault(row["number"], []).append((row["created_at"], row["id"]))
        for state in states.values():
            holders.setdefault(state.number, []).append((state.created_at, state.id))
        losers = sorted(pair for pairs in holders.values() if len(pairs) > 1 for pair in sorted(pairs)[1:])
        following = max(holders, default=0) + 1
        for _, issue in losers:
            state = states.get(issue) or self.state_of(issue, self._tip(conn, issue), read)
            from .writes import append_op  # writes imports the index: resolved at call time

            tip = append_op(
                self.store, self.cache, read, issue, "number", {"number": following, "from": state.number}
            )
            states[issue] = self.state_of(issue, tip, read)
            done.renumbered.append((state.number, following, state.title))
            following += 1

    @staticmethod
    def _tip(conn: sqlite3.Connection, issue: str) -> str:
        return str(conn.execute("SELECT tip FROM issue_keys WHERE id = ?", (issue,)).fetchone()["tip"])

    @staticmethod
    def forget(conn: sqlite3.Connection, issues: Iterable[str]) -> None:
        for issue in issues:
            row = conn.execute("SELECT number FROM issue_keys WHERE id = ?", (issue,)).fetchone()
            conn.execute("DELETE FROM issue_refused WHERE id = ?", (issue,))
            if row is None:
                continue
            conn.execute("DELETE FROM issue_keys WHERE id = ?", (issue,))
            conn.execute("DELETE FROM issues WHERE number = ?", (row["number"],))

    @staticmethod
    def write(conn: sqlite3.Connection, states: Iterable[IssueState]) -> None:
        """Insert issues that ``forget`` removed (comment ids are kept by comment key)."""
        for state in states:
            taken = conn.execute("SELECT 1 FROM issues WHERE number = ?", (state.number,)).fetchone()
            if taken is not None:  # another writer indexed a clash first: the next refresh renumbers it
                continue
            conn.execute(
                "INSERT INTO issues (number, title, body, state, state_reason, author, created_at, "
                "updated_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    state.number,
                    state.title,
                    state.body,
                    state.state,
                    state.state_reason,
                    state.author,
                    state.created_at,
                    state.updated_at,
                    state.closed_at,
                ),
            )
            conn.execute(
                "INSERT INTO issue_keys (number, id, tip) VALUES (?, ?, ?)",
                (state.number, state.id, state.tip),
            )
            conn.executemany(
                "INSERT INTO issue_labels (issue, label, position) VALUES (?, ?, ?)",
                [(state.number, label, position) for position, label in enumerate(state.labels)],
            )
            conn.execute("DELETE FROM issue_moves WHERE id = ?", (state.id,))
            conn.executemany(
                "INSERT OR IGNORE INTO issue_moves (old, id) VALUES (?, ?)",
                [(old, state.id) for old in state.previous_numbers],
            )
            for comment in state.comments:
                row = conn.execute(
                    "SELECT comment FROM comment_keys WHERE key = ?", (comment.key,)
                ).fetchone()
                cursor = conn.execute(
                    "INSERT INTO issue_comments (id, issue, body, author, created_at) VALUES (?, ?, ?, ?, ?)",
                    (
                        row["comment"] if row else None,
                        state.number,
                        comment.body,
                        comment.author,
                        comment.created_at,
                    ),
                )
                if row is None:
                    conn.execute(
                        "INSERT INTO comment_keys (comment, key) VALUES (?, ?)",
                        (cursor.lastrowid, comment.key),
                    )


def id_of(conn: sqlite3.Connection, number: int) -> str | None:
    row = conn.execute("SELECT id FROM issue_keys WHERE number = ?", (number,)).fetchone()
    return None if row is None else str(row["id"])


def number_of(conn: sqlite3.Connection, issue: str) -> int | None:
    row = conn.execute("SELECT number FROM issue_keys WHERE id = ?", (issue,)).fetchone()
    return None if row is None else int(row["number"])


def moved_to(conn: sqlite3.Connection, number: int) -> list[int]:
    """The numbers that issues once numbered ``number`` have now (renumbered by a sync)."""
    rows = conn.execute(
        "SELECT k.number FROM issue_moves m JOIN issue_keys k USING (id) WHERE m.old = ? AND k.number != ?",
        (number, number),
    )
    return sorted(int(row["number"]) for row in rows)
