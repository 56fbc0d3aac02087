"""Local issues live in the repository's git refs (one ref per issue, a commit per change); the SQLite
database is only their index: delete it and every issue, comment, label, state and time comes back."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from refs_support import drop_index, git_in, issue_refs, remote_and_clones, titles, tracker_of

from conftest import run_git
from jupyter_dsl.trackers import IssueQuery, LocalTracker


def _everything(root: Path) -> tuple[list[dict[str, object]], dict[int, list[tuple[str, str, str]]]]:
    with tracker_of(root) as tracker:
        issues = [issue.to_json() for issue in tracker.list(IssueQuery(state="all"))]
        comments = {
            int(str(i["number"])): [
                (c.body, c.author, c.created_at) for c in tracker.comments(int(str(i["number"])))
            ]
            for i in issues
        }
    return issues, comments


def _some_issues(root: Path) -> None:
    with tracker_of(root) as tracker:
        ask = tracker.create("Why churn?", "## Problem Statement\n", ["Ask"])
        explore = tracker.create("Churn by region", "***Prompted by:*** #1", ["Explore", "custom label"])
        tracker.comment(ask.number, "first")
        second = tracker.comment(ask.number, "second")
        tracker.edit_comment(ask.number, second.id, "second, edited")
        tracker.update_labels(explore.number, add=["on hold"], remove=["custom label"])
        tracker.close(explore.number, "not_planned")
        third = tracker.create("Reopened", "", [])
        tracker.close(third.number)
        tracker.reopen(third.number)
        tracker.edit(third.number, title="Reopened, renamed", body="new body")


def test_the_index_is_rebuilt_from_the_refs_with_everything(project_dir: Path) -> None:
    _some_issues(project_dir)
    before = _everything(project_dir)
    assert len(issue_refs(project_dir)) == 3
    drop_index(project_dir)
    after = _everything(project_dir)
    assert after == before
    closed = next(i for i in after[0] if i["number"] == 2)
    assert (closed["state"], closed["state_reason"], closed["labels"]) == (
        "closed",
        "not_planned",
        ["Explore", "on hold"],
    )
    assert [body for body, _, _ in after[1][1]] == ["first", "second, edited"]


def test_switch_stash_rebase_and_gc_keep_every_issue(committed_project: Path) -> None:
    root = committed_project
    _some_issues(root)
    before = _everything(root)
    run_git(root, "switch", "--quiet", "-c", "explore/2-churn-by-region")
    (root / "notes.md").write_text("draft\n", encoding="utf-8")
    run_git(root, "add", "notes.md")
    run_git(root, "commit", "--quiet", "-m", "notes")
    (root / "notes.md").write_text("more\n", encoding="utf-8")
    run_git(root, "stash", "--quiet")
    run_git(root, "switch", "--quiet", "main")
    (root / "other.md").write_text("x\n", encoding="utf-8")
    run_git(root, "add", "other.md")
    run_git(root, "commit", "--quiet", "-m", "other")
    run_git(root, "rebase", "--quiet", "main", "explore/2-churn-by-region")
    run_git(root, "switch", "--quiet", "main")
    run_git(root, "branch", "--quiet", "-D", "explore/2-churn-by-region")
    run_git(root, "stash", "drop", "--quiet")
    run_git(root, "gc", "--quiet", "--prune=now")
    drop_index(root)
    assert _everything(root) == before


def test_the_author_is_gits_user_name(committed_project: Path) -> None:
    run_git(committed_project, "config", "user.name", "Ada Lovelace")
    run_git(committed_project, "config", "user.email", "ada@example.invalid")
    with tracker_of(committed_project) as tracker:
        issue = tracker.create("Authored", "", [])
        comment = tracker.comment(issue.number, "hello")
    assert (issue.author, comment.author) == ("Ada Lovelace", "Ada Lovelace")
    log = git_in(committed_project, "log", "--format=%an <%ae>", issue_refs(committed_project)[0]).stdout
    assert log.split("\n")[0] == "Ada Lovelace <ada@example.invalid>"


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from jupyter_dsl.trackers import LocalTracker

    database, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    tracker = LocalTracker(database)
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(count):
        tracker.comment(1, f"{name} {i}")
        if i % 5 == 0:
            tracker.create(f"{name} made {i}", "", [])
    print("done", name)
    """
)


def test_two_processes_writing_one_issue_at_once_keep_every_change(project_dir: Path) -> None:
    with tracker_of(project_dir) as tracker:
        tracker.create("Shared", "", [])
    count = 15
    database = project_dir / ".dsl" / "dsl.sqlite"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(database), name, str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alpha", "beta")
    ]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n", writer.communicate()
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    drop_index(project_dir)  # what the refs hold, not what an index remembers
    with tracker_of(project_dir) as tracker:
        bodies = sorted(c.body for c in tracker.comments(1))
        numbers = sorted(i.number for i in tracker.list(IssueQuery(state="all")))
    assert bodies == sorted(f"{name} {i}" for name in ("alpha", "beta") for i in range(count))
    assert numbers == list(range(1, 2 + 2 * len(range(0, count, 5))))


def test_refs_fetched_with_plain_git_are_seen(tmp_path: Path) -> None:
    _, (ann, bob) = remote_and_clones(tmp_path, "ann", "bob")
    with tracker_of(ann) as tracker:
        tracker.create("From Ann", "", ["Ask"])
    assert titles(bob) == {}
    git_in(ann, "push", "--quiet", "origin", "refs/dsl/issues/*:refs/dsl/issues/*")
    git_in(bob, "fetch", "--quiet", "origin", "refs/dsl/issues/*:refs/dsl/issues/*")
    assert titles(bob) == {1: "From Ann"}


def test_outside_git_the_database_holds_the_issues(tmp_path: Path) -> None:
    database = tmp_path / "proj" / ".dsl" / "dsl.sqlite"
    tracker = LocalTracker(database)
    try:
        assert tracker.refs is None
        tracker.create("Offline", "", [])
        assert [i.title for i in tracker.list(IssueQuery(state="all"))] == ["Offline"]
    finally:
        tracker.close_connection()
