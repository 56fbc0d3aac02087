"""The embedded tracker: issues in the project's SQLite database, no account and no network."""

from __future__ import annotations

import builtins
import getpass
import re
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from .. import hints
from ..dslp.labels import LABELS, LABELS_BY_NAME
from ..errors import ConfigError, InvalidInput, NotFound
from ..project.database import connect, ensure_schema, transaction
from .base import CloseReason, Comment, Issue, IssueQuery, Label
from .gitrefs.index import id_of, moved_to, number_of
from .gitrefs.issue_refs import IssueRefs, RefreshReport, refs_repository
from .gitrefs.writes import now as _now
from .label_edits import LabelShortcuts, check_close_reason, missing_labels, planned_change

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS issues (
        number INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
        state_reason TEXT,
        author TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        closed_at TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS issue_labels (
        issue INTEGER NOT NULL REFERENCES issues(number) ON DELETE CASCADE,
        label TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (issue, label)
    )""",
    """CREATE TABLE IF NOT EXISTS issue_comments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        issue INTEGER NOT NULL REFERENCES issues(number) ON DELETE CASCADE,
        body TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS issue_labels_label ON issue_labels(label)",
    "CREATE INDEX IF NOT EXISTS issue_comments_issue ON issue_comments(issue)",
]


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# The label table starts with the eleven DSLP labels (as a forge has them after `labels sync`);
# users add their own with save_label. A label put on an issue without a row is listed too.
_LABEL_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS labels (
        name TEXT PRIMARY KEY,
        color TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT ''
    )""",
    *(
        f"INSERT OR IGNORE INTO labels (name, color, description) VALUES ({_sql_text(label.name)}, "  # noqa: S608
        f"{_sql_text(label.color)}, {_sql_text(label.description)})"
        for label in LABELS
    ),
]
_UNDEFINED_LABEL_COLOR = "ededed"  # what GitHub gives a label made by putting it on an issue
_HEX6 = re.compile(r"^[0-9a-fA-F]{6}$")


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return ""


class LocalTracker(LabelShortcuts):
    """Issues numbered 1, 2, 3... per project; safe for several processes at once (WAL + IMMEDIATE).

    In git each issue is a history in the repository's refs (``gitrefs``), indexed in these tables.
    Issues, comments and labels only: no pull requests and no web pages (``capabilities``), so code
    that needs them finds none here instead of a refusal posing as a method."""

    kind = "local"
    offline_as_of: str | None = None  # never offline: the database is on this machine

    def __init__(self, database: Path, repository: Path | bool | None = True) -> None:
        """``repository``: the git repository of the issue refs (True: ``refs_repository(database)``)."""
        self.database = database
        root = refs_repository(database) if repository is True else repository or None
        self.refs = IssueRefs(root) if isinstance(root, Path) else None
        # one connection per thread: a shared connection would interleave two threads' transactions
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @property
    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.database)
            try:
                ensure_schema(conn, "local_tracker", 1, _SCHEMA)
                ensure_schema(conn, "local_labels", 1, _LABEL_SCHEMA)
                if self.refs is not None:
                    self.refs.prepare(conn, self.database)
            except sqlite3.Error as exc:
                conn.close()
                raise ConfigError(f"cannot use the jupyter-dsl database {self.database}: {exc}") from exc
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def close_connection(self) -> None:
        """Close every connection this tracker opened (in any thread); it reopens on next use."""
        with self._lock:
            opened, self._opened = self._opened, []
            self._local = threading.local()
        for conn in opened:
            conn.close()

    # -- reading -----------------------------------------------------------------------------

    def refresh(self) -> RefreshReport | None:
        """Index the issue refs that moved (refs mode); an issue renumbered here gets its Ask line fixed."""
        if self.refs is None:
            return None
        report = self.refs.refresh(self.conn)
        if report.indexed.renumbered:
            from ..issues.renumbering import rewrite_ask_lines  # the issues layer sits above trackers

            rewrite_ask_lines(self, report.indexed.renumbered)
        return report

    # refs mode: an issue's stable id (the same in every clone), its number now, where a number went
    def issue_id(self, number: int) -> str | None:
        return None if self.refs is None else id_of(self.conn, number)

    def number_of(self, issue_id: str) -> int | None:
        return None if self.refs is None else number_of(self.conn, issue_id)

    def moved_away(self, number: int) -> list[int]:
        return [] if self.refs is None else moved_to(self.conn, number)

    def _issue(
        self, row: sqlite3.Row, labels: tuple[str, ...] | None = None, count: int | None = None
    ) -> Issue:
        if labels is None:
            labels = tuple(
                r["label"]
                for r in self.conn.execute(
                    "SELECT label FROM issue_labels WHERE issue = ? ORDER BY position, label",
                    (row["number"],),
                )
            )
        if count is None:
            count = self.conn.execute(
                "SELECT COUNT(*) AS n FROM issue_comments WHERE issue = ?", (row["number"],)
            ).fetchone()["n"]
        return Issue(
            tracker=self.kind,
            number=row["number"],
            title=row["title"],
            body=row["body"],
            state=row["state"],
            labels=labels,
            url="",
            state_reason=row["state_reason"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            closed_at=row["closed_at"],
            author=row["author"],
            comments=count,
        )

    def get(self, number: int) -> Issue:
        self.refresh()
        row = self.conn.execute("SELECT * FROM issues WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise _not_found(number, moved_to(self.conn, number) if self.refs is not None else [])
        return self._issue(row)

    def list(self, query: IssueQuery) -> list[Issue]:
        sql = "SELECT * FROM issues WHERE 1 = 1"
        args: list[object] = []
        if query.state != "all":
            sql += " AND state = ?"
            args.append(query.state)
        wanted = [_label(name) for name in query.labels] + ([query.type.value] if query.type else [])
        for label in wanted:
            sql += " AND number IN (SELECT issue FROM issue_labels WHERE label = ?)"
            args.append(label)
        sql += " ORDER BY number DESC"
        self.refresh()
        rows = self.conn.execute(sql, args).fetchall()
        labels: dict[int, list[str]] = {}
        for r in self.conn.execute("SELECT issue, label FROM issue_labels ORDER BY issue, position, label"):
            labels.setdefault(r["issue"], []).append(r["label"])
        counts = {
            r["issue"]: r["n"]
            for r in self.conn.execute("SELECT issue, COUNT(*) AS n FROM issue_comments GROUP BY issue")
        }
        return [
            self._issue(row, tuple(labels.get(row["number"], ())), counts.get(row["number"], 0))
            for row in rows
        ]

    def comments(self, number: int) -> builtins.list[Comment]:
        self.get(number)
        rows = self.conn.execute(
            "SELECT * FROM issue_comments WHERE issue = ? ORDER BY id", (number,)
        ).fetchall()
        return [Comment(r["id"], r["issue"], r["body"], r["author"], r["created_at"]) for r in rows]

    # -- writing -----------------------------------------------------------------------------

    def create(self, title: str, body: str, labels: Sequence[str]) -> Issue:
        if not title.strip():
            raise InvalidInput("an issue needs a title")
        if self.refs is not None:
            names = list(dict.fromkeys(_label(name) for name in labels))
            return self.get(self.refs.create(self.conn, title.strip(), body, names))
        now = _now()
        with transaction(self.conn) as conn:
            cursor = conn.execute(
                "INSERT INTO issues (title, body, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (title.strip(), body, _author(), now, now),
            )
            number = int(cursor.lastrowid or 0)
            self._insert_labels(conn, number, labels)
        return self.get(number)

    def _insert_labels(self, conn: sqlite3.Connection, number: int, labels: Sequence[str]) -> None:
        start = conn.execute(
            "SELECT COALESCE(MAX(position), -1) + 1 AS p FROM issue_labels WHERE issue = ?", (number,)
        ).fetchone()["p"]
        for offset, label in enumerate(dict.fromkeys(_label(name) for name in labels)):
            conn.execute(
                "INSERT OR IGNORE INTO issue_labels (issue, label, position) VALUES (?, ?, ?)",
                (number, label, start + offset),
            )

    def _touch(self, conn: sqlite3.Connection, number: int, **columns: object) -> None:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        sql = f"UPDATE issues SET {assignments}{', ' if columns else ''}updated_at = ? WHERE number = ?"  # noqa: S608
        conn.execute(sql, (*columns.values(), _now(), number))

    def comment(self, number: int, body: str) -> Comment:
        if not body.strip():
            raise InvalidInput("a comment needs text")
        self.get(number)
        if self.refs is not None:
            key = self.refs.append(self.conn, number, "comment", {"body": body})
            return Comment(*self.refs.comment_row(self.conn, key))
        now = _now()
        with transaction(self.conn) as conn:
            cursor = conn.execute(
                "INSERT INTO issue_comments (issue, body, author, created_at) VALUES (?, ?, ?, ?)",
                (number, body, _author(), now),
            )
            self._touch(conn, number)
        return Comment(int(cursor.lastrowid or 0), number, body, _author(), now)

    def edit_comment(self, number: int, comment_id: int, body: str) -> Comment:
        if not body.strip():
            raise InvalidInput("a comment needs text")
        self.get(number)
        if self.refs is not None:
            key = self.refs.comment_key(self.conn, comment_id, number)
            return Comment(*self.refs.comment_row(self.conn, key, {"target": key, "body": body}, number))
        with transaction(self.conn) as conn:
            changed = conn.execute(
                "UPDATE issue_comments SET body = ? WHERE id = ? AND issue = ?", (body, comment_id, number)
            ).rowcount
            if not changed:
                raise NotFound(f"issue #{number} has no comment {comment_id}")
            self._touch(conn, number)
        row = self.conn.execute("SELECT * FROM issue_comments WHERE id = ?", (comment_id,)).fetchone()
        return Comment(row["id"], row["issue"], row["body"], row["author"], row["created_at"])

    # -- labels ------------------------------------------------------------------------------

    def labels(self) -> builtins.list[Label]:
        defined = {
            row["name"]: Label(row["name"], row["color"], row["description"])
            for row in self.conn.execute("SELECT * FROM labels")
        }
        for row in self.conn.execute("SELECT DISTINCT label FROM issue_labels"):
            defined.setdefault(row["label"], Label(row["label"], _UNDEFINED_LABEL_COLOR, ""))
        return sorted(defined.values(), key=lambda label: label.name.lower())

    def save_label(self, label: Label, *, exists: bool) -> None:
        name = _label(label.name)
        if not _HEX6.match(label.color):
            raise InvalidInput(f"label colour {label.color!r} is not 6 hex digits", hint="e.g. 'c9ecff'")
        with transaction(self.conn) as conn:
            stored = conn.execute("SELECT 1 FROM labels WHERE name = ?", (name,)).fetchone()
            if exists and stored is None:
                # a label only used on issues has no row yet: updating it defines it
                used = conn.execute("SELECT 1 FROM issue_labels WHERE label = ?", (name,)).fetchone()
                if used is None:
                    raise NotFound(f"the local tracker has no label {name!r}")
            if not exists and stored is not None:
                raise InvalidInput(f"the label {name!r} already exists", hint="Update it instead.")
            conn.execute(
                "INSERT INTO labels (name, color, description) VALUES (?, ?, ?) ON CONFLICT(name) "
                "DO UPDATE SET color = excluded.color, description = excluded.description",
                (name, label.color.lower(), label.description),
            )

    def edit(self, number: int, *, title: str | None = None, body: str | None = None) -> Issue:
        self.get(number)
        columns: dict[str, object] = {}
        if title is not None:
            if not title.strip():
                raise InvalidInput("an issue title cannot be empty")
            columns["title"] = title.strip()
        if body is not None:
            columns["body"] = body
        if self.refs is not None:
            for name, value in columns.items():
                self.refs.append(self.conn, number, name, {name: value})
            return self.get(number)
        with transaction(self.conn) as conn:
            self._touch(conn, number, **columns)
        return self.get(number)

    def update_labels(self, number: int, *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Issue:
        adding, removing = planned_change(add, remove, _label)
        if self.refs is not None:
            present = set(self.get(number).labels)
            missing = [name for name in removing if name not in present]
            if missing:
                raise missing_labels(number, missing)
            self.refs.append(self.conn, number, "label", {"add": adding, "remove": removing})
            return self.get(number)
        with transaction(self.conn) as conn:  # checks and writes in one transaction: all or nothing
            if conn.execute("SELECT 1 FROM issues WHERE number = ?", (number,)).fetchone() is None:
                raise _not_found(number)
            present = {
                row["label"]
                for row in conn.execute("SELECT label FROM issue_labels WHERE issue = ?", (number,))
            }
            missing = [name for name in removing if name not in present]
            if missing:
                raise missing_labels(number, missing)
            self._insert_labels(conn, number, adding)
            gone = [(number, name) for name in removing]
            conn.executemany("DELETE FROM issue_labels WHERE issue = ? AND label = ?", gone)
            self._touch(conn, number)
        return self.get(number)

    def close(self, number: int, reason: CloseReason = "completed") -> Issue:
        check_close_reason(reason)
        self.get(number)
        if self.refs is not None:
            self.refs.append(self.conn, number, "state", {"state": "closed", "reason": reason})
            return self.get(number)
        with transaction(self.conn) as conn:
            self._touch(conn, number, state="closed", state_reason=reason, closed_at=_now())
        return self.get(number)

    def reopen(self, number: int) -> Issue:
        self.get(number)
        if self.refs is not None:
            self.refs.append(self.conn, number, "state", {"state": "open", "reason": None})
            return self.get(number)
        with transaction(self.conn) as conn:
            self._touch(conn, number, state="open", state_reason="reopened", closed_at=None)
        return self.get(number)


def _not_found(number: int, moved: Sequence[int] = ()) -> NotFound:
    now = " and ".join(f"#{n}" for n in moved)
    return NotFound(
        f"issue #{number} is now {now}: a sync renumbered it (another clone had also made a #{number})"
        if moved
        else f"issue #{number} does not exist in the local tracker",
        hint=hints.list_all_issues(),
    )


def _label(name: str) -> str:
    """Labels are free text, but a DSLP label given in another case is stored in its exact case."""
    clean = name.strip()
    if not clean:
        raise InvalidInput("a label cannot be empty")
    for known in LABELS_BY_NAME:
        if known.lower() == clean.lower():
            return known
    return clean
