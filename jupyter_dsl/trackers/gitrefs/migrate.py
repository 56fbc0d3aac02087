"""Moving issues that live only in ``.dsl/dsl.sqlite`` (made before issues lived in git refs) into refs:
on first use, once, with a backup of the database first.

Every issue becomes a history of operations with its original times and authors: ``create`` (title,
body, labels, number), one ``comment`` per comment, ``state`` when closed, and a last empty ``label``
operation when the issue was touched after all of those (so ``updated_at`` is kept). All refs are
created in one ``git update-ref --stdin`` transaction, then the index rows are swapped in one SQLite
transaction; ids are derived from the old rows, so a migration interrupted between the two finishes on
the next use without making an issue twice."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import ConfigError
from ...project.database import transaction
from . import ISSUES_PREFIX
from .history import OpCache, fold, read_history
from .ops import encode
from .store import RefStore

if TYPE_CHECKING:
    from .issue_refs import IssueRefs


def legacy_count(conn: sqlite3.Connection) -> int:
    row = conn.execute(
        "SELECT COUNT(*) AS n FROM issues WHERE number NOT IN (SELECT number FROM issue_keys)"
    ).fetchone()
    return int(row["n"])


def migrate_once(conn: sqlite3.Connection, refs: IssueRefs, database: Path) -> Path | None:
    """Migrate the issues without refs, if any; returns the backup made (None: nothing to do)."""
    if not legacy_count(conn):
        return None
    backup = _backup(conn, database)
    with transaction(conn):
        if not legacy_count(conn):  # another process migrated meanwhile
            return backup
        numbers = [
            int(row["number"])
            for row in conn.execute(
                "SELECT number FROM issues WHERE number NOT IN (SELECT number FROM issue_keys)"
            )
        ]
        histories = {number: _history(conn, refs.store, number) for number in numbers}
        existing = refs.store.tips()
        lines = [
            f"create {ISSUES_PREFIX}{issue} {tip}"
            for issue, tip in histories.values()
            if issue not in existing
        ]
        if lines:
            refs.store.git("update-ref", "--stdin", stdin="start\n" + "\n".join(lines) + "\ncommit\n")
        existing = refs.store.tips()
        cache = OpCache()
        with refs.store.reader() as reader:
            states = [
                fold(issue, existing[issue], read_history(issue, existing[issue], reader.read, cache))
                for issue, _ in histories.values()
            ]
        for number, state in zip(numbers, states, strict=True):
            old_ids = [
                r["id"]
                for r in conn.execute("SELECT id FROM issue_comments WHERE issue = ? ORDER BY id", (number,))
            ]
            keys = [(old, comment.key) for old, comment in zip(old_ids, state.comments, strict=True)]
            conn.executemany("INSERT OR REPLACE INTO comment_keys (comment, key) VALUES (?, ?)", keys)
            conn.execute("DELETE FROM issues WHERE number = ?", (number,))
        refs.index.write(conn, states)
    return backup


def _backup(conn: sqlite3.Connection, database: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    target = database.with_name(f"{database.name}.before-git-refs-{stamp}.bak")
    try:
        with sqlite3.connect(target) as copy:
            conn.backup(copy)
        copy.close()
    except (OSError, sqlite3.Error) as exc:
        raise ConfigError(f"cannot back up {database} before moving its issues into git refs: {exc}") from exc
    return target


def _history(conn: sqlite3.Connection, store: RefStore, number: int) -> tuple[str, str]:
    """(issue id, tip) of one old issue written as commits."""
    row = conn.execute("SELECT * FROM issues WHERE number = ?", (number,)).fetchone()
    labels = [
        r["label"]
        for r in conn.execute(
            "SELECT label FROM issue_labels WHERE issue = ? ORDER BY position, label", (number,)
        )
    ]
    issue = hashlib.sha256(
        f"jupyter-dsl migrated issue {number} {row['created_at']} {row['title']}".encode()
    ).hexdigest()[:32]
    author = row["author"]
    ops: list[dict[str, Any]] = [
        {
            "op": "create",
            "at": row["created_at"],
            "by": author,
            "title": row["title"],
            "body": row["body"],
            "labels": labels,
            "number": number,
        }
    ]
    comments = conn.execute("SELECT * FROM issue_comments WHERE issue = ? ORDER BY id", (number,)).fetchall()
    ops += [{"op": "comment", "at": c["created_at"], "by": c["author"], "body": c["body"]} for c in comments]
    if row["state"] == "closed":
        ops.append(
            {
                "op": "state",
                "at": row["closed_at"] or row["updated_at"],
                "by": author,
                "state": "closed",
                "reason": row["state_reason"],
            }
        )
    elif row["state_reason"] == "reopened":
        for state, reason in (("closed", "completed"), ("open", None)):
            ops.append(
                {"op": "state", "at": row["updated_at"], "by": author, "state": state, "reason": reason}
            )
    if row["updated_at"] > max(op["at"] for op in ops):
        ops.append({"op": "label", "at": row["updated_at"], "by": author, "add": [], "remove": []})
    tip = ""
    for clock, op in enumerate(ops, start=1):
        tip = store.commit(encode({"issue": issue, "clock": clock, **op}), [tip] if tip else [])
    return issue, tip
