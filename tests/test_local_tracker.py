"""The embedded tracker: SQLite in ``.dsl/`` (WAL), every operation, and two processes writing at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.errors import ConfigError, InvalidInput, NotFound
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.project.settings import Project
from jupyter_dsl.trackers import IssueQuery, LocalTracker, Tracker, open_tracker
from jupyter_dsl.trackers.base import Issue


def test_the_database_lives_in_dot_dsl_in_wal_mode(project: Project, tracker: LocalTracker) -> None:
    tracker.create("first", "", ["Ask"])
    path = project.root / ".dsl" / "dsl.sqlite"
    assert tracker.database == path and path.is_file()
    other = sqlite3.connect(path)  # a fresh connection sees the persistent journal mode
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert other.execute("SELECT title FROM issues").fetchall() == [("first",)]
    finally:
        other.close()


def test_open_tracker_builds_the_local_one(project: Project) -> None:
    opened = open_tracker(project)
    assert isinstance(opened, LocalTracker) and isinstance(opened, Tracker)
    assert opened.kind == "local"


def test_open_tracker_names_the_installed_ones(project: Project) -> None:
    from dataclasses import replace

    settings = replace(project.settings, tracker=replace(project.settings.tracker, kind="jira"))
    with pytest.raises(ConfigError) as err:
        open_tracker(replace(project, settings=settings))
    assert "jira" in err.value.message and "local" in (err.value.hint or "")


def test_create_from_template_and_show(tracker: LocalTracker) -> None:
    ask = new_issue(
        tracker, IssueType.ASK, "Why do customers churn?", sections={"Current State": "Nobody knows."}
    )
    assert (ask.number, ask.state, ask.labels, ask.type) == (1, "open", ("Ask",), IssueType.ASK)
    assert "### Current State\n\nNobody knows." in ask.body
    assert ask.created_at.endswith("Z") and ask.updated_at == ask.created_at
    shown = tracker.get(ask.number)
    assert shown == ask
    data = shown.to_json()
    assert data["type"] == "Ask" and data["ask"] is None and data["labels"] == ["Ask"]


def test_numbers_are_sequential_and_titles_trimmed(tracker: LocalTracker) -> None:
    numbers = [tracker.create(f"  issue {i}  ", "", []).number for i in range(1, 4)]
    assert numbers == [1, 2, 3]
    assert tracker.get(2).title == "issue 2"
    with pytest.raises(InvalidInput):
        tracker.create("   ", "body", ["Ask"])
    assert len(tracker.list(IssueQuery(state="all"))) == 3  # the refused one left nothing behind


@pytest.fixture()
def populated(tracker: LocalTracker) -> dict[str, Issue]:
    ask = new_issue(tracker, IssueType.ASK, "The Ask")
    return {
        "ask": ask,
        "explore": new_issue(tracker, IssueType.EXPLORE, "Look around", ask=ask.number),
        "experiment": new_issue(
            tracker, IssueType.EXPERIMENT, "Try a model", ask=ask.number, labels=("on hold",)
        ),
        "data": new_issue(tracker, IssueType.DATA, "Get sales Dataset"),
        "closed": tracker.close(new_issue(tracker, IssueType.EXPLORE, "Old look").number),
    }


def numbers(issues: list[Issue]) -> list[int]:
    return [issue.number for issue in issues]


def test_list_filters_by_type_state_and_label(tracker: LocalTracker, populated: dict[str, Issue]) -> None:
    p = {k: v.number for k, v in populated.items()}
    assert numbers(tracker.list(IssueQuery())) == [p["data"], p["experiment"], p["explore"], p["ask"]]
    assert numbers(tracker.list(IssueQuery(state="closed"))) == [p["closed"]]
    assert len(tracker.list(IssueQuery(state="all"))) == 5
    assert numbers(tracker.list(IssueQuery(type=IssueType.EXPLORE))) == [p["explore"]]
    assert numbers(tracker.list(IssueQuery(type=IssueType.EXPLORE, state="all"))) == [
        p["closed"],
        p["explore"],
    ]
    assert numbers(tracker.list(IssueQuery(labels=("on hold",)))) == [p["experiment"]]
    assert numbers(tracker.list(IssueQuery(labels=("On Hold",)))) == [
        p["experiment"]
    ]  # DSLP labels: any case
    assert tracker.list(IssueQuery(type=IssueType.MODEL)) == []
    assert tracker.list(IssueQuery(type=IssueType.ASK, labels=("on hold",))) == []


def test_the_ask_of_linked_issues(populated: dict[str, Issue]) -> None:
    ask = populated["ask"].number
    assert populated["explore"].ask == ask and populated["experiment"].ask == ask
    assert populated["ask"].ask is None and populated["data"].ask is None


def test_comment_and_comments(tracker: LocalTracker, populated: dict[str, Issue]) -> None:
    number = populated["explore"].number
    first = tracker.comment(number, "first finding")
    second = tracker.comment(number, "second\nfinding")
    assert first.issue == number and second.id > first.id
    assert [c.body for c in tracker.comments(number)] == ["first finding", "second\nfinding"]
    assert tracker.comments(number)[0] == first
    assert tracker.get(number).comments == 2
    assert tracker.comments(populated["ask"].number) == []
    with pytest.raises(InvalidInput):
        tracker.comment(number, "  \n")


def test_edit_title_and_body(tracker: LocalTracker, populated: dict[str, Issue]) -> None:
    number = populated["experiment"].number
    edited = tracker.edit(number, body="***Ask Reference:*** #99\n\nnew body")
    assert edited.body == "***Ask Reference:*** #99\n\nnew body" and edited.ask == 99
    assert edited.title == "Try a model"
    retitled = tracker.edit(number, title="Try a better model")
    assert retitled.title == "Try a better model" and retitled.body == edited.body
    with pytest.raises(InvalidInput):
        tracker.edit(number, title=" ")
    assert tracker.get(number).title == "Try a better model"


def test_add_and_remove_labels(tracker: LocalTracker, populated: dict[str, Issue]) -> None:
    number = populated["explore"].number
    labelled = tracker.add_labels(number, ["FAILED", "custom", "Explore"])
    assert labelled.labels == ("Explore", "failed", "custom")  # DSLP label case, order kept, no duplicate
    assert tracker.add_labels(number, ["custom"]).labels == labelled.labels
    removed = tracker.remove_labels(number, ["Failed"])
    assert removed.labels == ("Explore", "custom")
    with pytest.raises(NotFound) as err:
        tracker.remove_labels(number, ["custom", "never-there"])
    assert "never-there" in err.value.message
    assert tracker.get(number).labels == ("Explore", "custom")  # a refused removal removes nothing
    with pytest.raises(InvalidInput):
        tracker.add_labels(number, [" "])
    removed_type = tracker.remove_labels(number, ["Explore"])
    assert removed_type.type is None


def test_update_labels_adds_and_removes_in_one_change_or_none(
    tracker: LocalTracker, populated: dict[str, Issue]
) -> None:
    number = populated["experiment"].number  # labels: Experiment, on hold
    updated = tracker.update_labels(number, add=["Succeeded", "custom"], remove=["On Hold"])
    assert updated.labels == ("Experiment", "succeeded", "custom")
    stamp = updated.updated_at
    for add, remove, error in (
        (["failed"], ["on hold"], NotFound),  # on hold is gone already: failed is not added either
        (["failed"], ["custom", "never-there"], NotFound),
        (["failed"], ["failed"], InvalidInput),  # both added and removed
        (["failed", " "], [], InvalidInput),
    ):
        with pytest.raises(error) as err:
            tracker.update_labels(number, add=add, remove=remove)
        assert err.value.message
        after = tracker.get(number)
        assert (after.labels, after.updated_at) == (("Experiment", "succeeded", "custom"), stamp)
    with pytest.raises(NotFound) as missing:
        tracker.update_labels(404, add=["failed"])
    assert "#404" in missing.value.message


def test_close_with_reason_and_reopen(tracker: LocalTracker, populated: dict[str, Issue]) -> None:
    number = populated["experiment"].number
    closed = tracker.close(number, "not_planned")
    assert (closed.state, closed.state_reason) == ("closed", "not_planned")
    assert closed.closed_at is not None
    reopened = tracker.reopen(number)
    assert (reopened.state, reopened.closed_at) == ("open", None)
    assert tracker.close(number).state_reason == "completed"
    with pytest.raises(InvalidInput):
        tracker.close(number, "whatever")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.get(404),
        lambda t: t.comment(404, "x"),
        lambda t: t.comments(404),
        lambda t: t.edit(404, body="x"),
        lambda t: t.add_labels(404, ["Ask"]),
        lambda t: t.remove_labels(404, ["Ask"]),
        lambda t: t.update_labels(404, add=["Ask"], remove=["Explore"]),
        lambda t: t.close(404),
        lambda t: t.reopen(404),
    ],
)
def test_unknown_number_is_not_found(tracker: LocalTracker, call: object) -> None:
    tracker.create("only one", "", [])
    with pytest.raises(NotFound) as err:
        call(tracker)  # type: ignore[operator]
    assert "#404" in err.value.message
    assert err.value.exit_code == 3
    assert len(tracker.list(IssueQuery(state="all"))) == 1


def test_a_second_tracker_on_the_same_file_sees_everything(project: Project, tracker: LocalTracker) -> None:
    tracker.create("shared", "", ["Ask"])
    other = LocalTracker(project.database_path)
    try:
        assert other.get(1).title == "shared"
        other.comment(1, "from the other one")
        assert tracker.get(1).comments == 1
    finally:
        other.close_connection()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from jupyter_dsl.trackers import LocalTracker

    database, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    print("ready", flush=True)
    sys.stdin.readline()  # the test says go to both at once
    tracker = LocalTracker(database)
    for i in range(count):
        issue = tracker.create(f"{name} {i}", "body", ["Explore"])
        tracker.comment(issue.number, f"comment from {name}")
    print("done", name)
    """
)


def test_two_processes_creating_issues_at_once_keep_all(tmp_path: Path) -> None:
    database = tmp_path / "proj" / ".dsl" / "dsl.sqlite"  # not created yet: they race to create it too
    count = 30
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
    for writer in writers:  # both started and waiting
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n", writer.communicate()
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert "locked" not in err and out.startswith("done")
    tracker = LocalTracker(database)
    try:
        issues = tracker.list(IssueQuery(state="all"))
        assert sorted(issue.number for issue in issues) == list(range(1, 2 * count + 1))
        for name in ("alpha", "beta"):
            titles = {issue.title for issue in issues if issue.title.startswith(name)}
            assert titles == {f"{name} {i}" for i in range(count)}
        assert all(issue.comments == 1 and issue.labels == ("Explore",) for issue in issues)
    finally:
        tracker.close_connection()


def test_threads_sharing_one_tracker(tracker: LocalTracker) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(name: str) -> None:
        try:
            start.wait()
            for i in range(15):
                issue = tracker.create(f"{name} {i}", "", ["Ask"])
                tracker.add_labels(issue.number, ["on hold"])
        except BaseException as exc:  # reported below, with the thread's name
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"t{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    issues = tracker.list(IssueQuery(state="all", labels=("on hold",)))
    assert sorted(numbers(issues)) == list(range(1, 61))


def test_a_file_that_is_not_a_database_is_a_config_error(project: Project) -> None:
    project.state_dir.mkdir()
    project.database_path.write_bytes(b"this is not sqlite" * 100)
    broken = LocalTracker(project.database_path)
    with pytest.raises(ConfigError) as err:
        broken.get(1)
    assert str(project.database_path) in err.value.message
    assert project.database_path.read_bytes() == b"this is not sqlite" * 100


def test_a_refused_label_leaves_no_half_created_issue(tracker: LocalTracker) -> None:
    with pytest.raises(InvalidInput):
        tracker.create("labelled", "", ["Ask", "  "])
    assert tracker.list(IssueQuery(state="all")) == []
    assert tracker.create("next", "", []).number >= 1
