"""A project whose issues are in `.dsl/dsl.sqlite` only (made before issues lived in git refs) is moved
into refs on first use: once, atomically, with a backup, keeping every issue, comment, label, state,
reason, time and number."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from refs_support import issue_refs, tracker_of
from runs_support import dsl_json

from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.trackers import IssueQuery, LocalTracker


def _old_database(root: Path) -> None:
    """Issues written the way the tracker wrote them before refs (the database alone), with distinct
    times as an old project has them."""
    old = LocalTracker(root / ".dsl" / "dsl.sqlite", repository=None)
    try:
        old.create("Why churn?", "## Problem Statement\n", ["Ask"])
        old.create("Churn by region", "***Prompted by:*** #1", ["Explore"])
        old.comment(1, "first")
        second = old.comment(1, "second")
        old.edit_comment(1, second.id, "second, edited")
        old.add_labels(2, ["on hold", "my label"])
        old.close(2, "not_planned")
        old.create("Reopened", "", [])
        old.close(3)
        old.reopen(3)
        old.create("Deleted in between", "", [])
        old.create("Five", "", ["Data"])
        old.close(5)
        old.conn.execute("DELETE FROM issues WHERE number = 4")  # numbers need not be contiguous
        times = [
            ("2024-01-02T03:04:05Z", "2024-02-01T00:00:00Z"),
            ("2024-01-03T00:00:00Z", "2024-03-01T00:00:00Z"),
        ]
        for n, (made, changed) in enumerate(times, start=1):
            sql = "UPDATE issues SET created_at = ?, updated_at = ? WHERE number = ?"
            old.conn.execute(sql, (made, changed, n))
        old.conn.execute("UPDATE issues SET closed_at = '2024-02-15T00:00:00Z' WHERE number = 2")
        sql = "UPDATE issue_comments SET created_at = ? WHERE body LIKE ?"
        old.conn.execute(sql, ("2024-01-05T00:00:00Z", "first"))
        old.conn.execute(sql, ("2024-01-06T00:00:00Z", "second%"))
    finally:
        old.close_connection()


def _everything(tracker: LocalTracker) -> tuple[list[dict[str, object]], list[object]]:
    issues = [i.to_json() for i in tracker.list(IssueQuery(state="all"))]
    comments = [c.to_json() for i in issues for c in tracker.comments(int(str(i["number"])))]
    return issues, comments


def test_the_first_use_moves_every_issue_into_refs_once_with_a_backup(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    init_project(root, git=False)
    _old_database(root)
    with tracker_of(root) as old_view:  # no .git yet: the database is the tracker
        before = _everything(old_view)
    assert not (root / ".git").exists()
    init_project(root)  # now the project is a git repository
    with tracker_of(root) as tracker:
        after = _everything(tracker)
    assert after == before
    assert len(issue_refs(root)) == 4
    backups = list((root / ".dsl").glob("dsl.sqlite.before-git-refs-*.bak"))
    assert len(backups) == 1
    with closing(sqlite3.connect(backups[0])) as copy:
        assert copy.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 4
    for path in (root / ".dsl").glob("dsl.sqlite*"):  # the refs alone hold it all now
        if not path.name.endswith(".bak"):
            path.unlink()
    with tracker_of(root) as rebuilt:
        issues, comments = _everything(rebuilt)
    assert issues == before[0]
    assert [(c["body"], c["created_at"]) for c in comments] == [
        (c["body"], c["created_at"]) for c in before[1]
    ]  # type: ignore[index]
    assert len(list((root / ".dsl").glob("*.bak"))) == 1  # once
    listed = dsl_json(root, "issue", "list", "--state", "all")["issues"]
    assert [i["number"] for i in listed] == [5, 3, 2, 1]
