"""Linking notebooks to issues, their status, and the DSLP branch, in real git repositories."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.errors import Conflict, InvalidInput, NotFound
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.notebook import document, links
from jupyter_dsl.notebook.document import NotebookLink
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.trackers import IssueQuery, LocalTracker
from jupyter_dsl.trackers.base import Issue

Git = Callable[..., str]


@pytest.fixture()
def repo(committed_project: Path) -> Project:
    return find_project(committed_project)


@pytest.fixture()
def issues(repo: Project) -> dict[str, Issue]:
    tracker = LocalTracker(repo.database_path)
    try:
        ask = new_issue(tracker, IssueType.ASK, "Why do customers churn?")
        return {
            "ask": ask,
            "explore": new_issue(tracker, IssueType.EXPLORE, "Churn by région!", ask=ask.number),
            "experiment": new_issue(tracker, IssueType.EXPERIMENT, "Gradient boosting", ask=ask.number),
        }
    finally:
        tracker.close_connection()


@pytest.fixture()
def nb(repo: Project) -> Path:
    return repo.root / "nb" / "analysis.ipynb"


def nbformat_with(path: Path, link: NotebookLink) -> bytes:
    node = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    node.metadata["jupyter_dsl"] = link.to_json()
    return nbformat.writes(node).encode("utf-8") + b"\n"


def test_link_writes_the_link_and_nothing_else(
    tracker: LocalTracker, issues: dict[str, Issue], nb: Path
) -> None:
    original = nb.read_bytes()
    explore = issues["explore"]
    link = links.link(tracker, nb, explore.number)
    assert link.issue.number == explore.number and link.issue.type == "Explore"
    assert link.issue.title == "Churn by région!" and link.issue.tracker == "local"
    assert link.ask == issues["ask"].number
    assert link.branch == f"explore/{explore.number}-churn-by-region"
    assert link.status == "active"
    restored = json.loads(nb.read_bytes())
    assert restored["metadata"]["jupyter_dsl"] == link.to_json()
    assert nb.read_bytes() == nbformat_with(nb, link)
    del restored["metadata"]["jupyter_dsl"]
    assert restored == json.loads(original)
    assert links.unlink(nb) == link
    assert nb.read_bytes() == original
    assert links.unlink(nb) is None
    assert nb.read_bytes() == original


def test_bad_links_change_nothing(
    tracker: LocalTracker, issues: dict[str, Issue], nb: Path, repo: Project
) -> None:
    original = nb.read_bytes()
    with pytest.raises(NotFound) as err:
        links.link(tracker, nb, 999)
    assert "#999" in err.value.message
    assert nb.read_bytes() == original
    text = repo.root / "notes.txt"
    text.write_text("hello")
    with pytest.raises(InvalidInput):
        links.link(tracker, text, issues["ask"].number)
    assert text.read_text() == "hello"
    with pytest.raises(NotFound):
        links.link(tracker, repo.root / "missing.ipynb", issues["ask"].number)
    broken = repo.root / "broken.ipynb"
    broken.write_bytes(b'{"cells": [')
    with pytest.raises(InvalidInput):
        links.link(tracker, broken, issues["ask"].number)
    assert broken.read_bytes() == b'{"cells": ['


def test_relinking_keeps_completion_only_for_the_same_issue(
    tracker: LocalTracker, issues: dict[str, Issue], nb: Path
) -> None:
    first = links.link(tracker, nb, issues["explore"].number)
    done = NotebookLink(first.issue, first.ask, first.branch, "complete", "2024-01-01T00:00:00Z", {"runs": 3})
    document.set_link(nb, done)
    tracker.edit(issues["explore"].number, title="Churn per region")
    same = links.link(tracker, nb, issues["explore"].number)
    assert (same.status, same.completed_at, same.extra) == ("complete", "2024-01-01T00:00:00Z", {"runs": 3})
    assert same.issue.title == "Churn per region"
    other = links.link(tracker, nb, issues["experiment"].number)
    assert (other.status, other.completed_at, other.extra) == ("active", None, {})
    assert other.branch == f"experiment/{issues['experiment'].number}-gradient-boosting"


def test_a_broken_link_is_replaced_by_link_and_removed_by_unlink(
    tracker: LocalTracker, issues: dict[str, Issue], nb: Path
) -> None:
    original = nb.read_bytes()
    node = nbformat.read(nb, as_version=nbformat.NO_CONVERT)
    node.metadata["jupyter_dsl"] = {"issue": 5}
    nbformat.write(node, nb)
    assert links.unlink(nb) is None  # there was no valid link to report, but it is gone
    assert nb.read_bytes() == original
    nbformat.write(node, nb)
    fixed = links.link(tracker, nb, issues["ask"].number)
    assert document.get_link(nb) == fixed


def test_status_follows_the_tracker_and_the_branch(
    repo: Project, tracker: LocalTracker, issues: dict[str, Issue], nb: Path, git: Git
) -> None:
    unlinked = links.status(repo, tracker, nb)
    assert (unlinked.link, unlinked.issue, unlinked.expected_branch, unlinked.on_branch) == (
        None,
        None,
        None,
        False,
    )
    assert unlinked.path == "nb/analysis.ipynb" and unlinked.current_branch == "main"

    explore = issues["explore"]
    links.link(tracker, nb, explore.number)
    tracker.edit(explore.number, title="Churn by country")  # the tracker is the truth; metadata a cache
    status = links.status(repo, tracker, nb)
    assert status.issue is not None and status.issue.title == "Churn by country"
    assert status.link is not None and status.link.issue.title == "Churn by région!"
    assert status.ask is not None and status.ask.number == issues["ask"].number
    # the branch recorded in the link is the notebook's: a new title does not move it
    assert status.expected_branch == f"explore/{explore.number}-churn-by-region"
    assert status.branch_renamed and not status.on_branch
    data = status.to_json()
    assert data["branch"] == {
        "current": "main",
        "expected": status.expected_branch,
        "matches": False,
        "title_changed": True,
    }
    assert data["issue"]["number"] == explore.number and data["ask"]["type"] == "Ask"
    assert data["issue_error"] is None and data["ask_missing"] is False

    git(repo.root, "commit", "--quiet", "-am", "link")
    links.switch_branch(repo, tracker, nb)
    after = links.status(repo, tracker, nb)
    assert after.current_branch == status.expected_branch and after.on_branch


def test_status_when_the_tracker_cannot_answer(repo: Project, issues: dict[str, Issue], nb: Path) -> None:
    tracker = LocalTracker(repo.database_path)
    link = links.link(tracker, nb, issues["explore"].number)
    tracker.close_connection()
    empty = LocalTracker(repo.root / ".dsl" / "other.sqlite")  # a tracker that never heard of the issue
    try:
        status = links.status(repo, empty, nb)
    finally:
        empty.close_connection()
    assert status.issue is None and status.issue_error and "#" in status.issue_error
    assert status.link == link
    assert status.expected_branch == link.branch  # the cached branch still shows


def test_status_of_a_notebook_outside_the_project(
    repo: Project, tracker: LocalTracker, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), outside)
    with pytest.raises(InvalidInput):
        links.status(repo, tracker, outside)


def test_switch_branch_creates_then_switches(
    repo: Project, tracker: LocalTracker, issues: dict[str, Issue], nb: Path, git: Git
) -> None:
    with pytest.raises(NotFound) as err:
        links.switch_branch(repo, tracker, nb)
    assert "link" in (err.value.hint or "").lower()
    explore = issues["explore"]
    links.link(tracker, nb, explore.number)
    git(repo.root, "commit", "--quiet", "-am", "link")
    created = links.switch_branch(repo, tracker, nb)
    name = f"explore/{explore.number}-churn-by-region"
    assert (created.branch, created.created, created.base, created.previous) == (name, True, "main", "main")
    assert git(repo.root, "branch", "--show-current") == name
    assert git(repo.root, "rev-parse", "HEAD") == git(repo.root, "rev-parse", "main")
    git(repo.root, "switch", "--quiet", "main")
    again = links.switch_branch(repo, tracker, nb)
    assert (again.branch, again.created) == (name, False)
    assert git(repo.root, "branch", "--show-current") == name


def test_switch_branch_refuses_uncommitted_changes_unless_forced(
    repo: Project, tracker: LocalTracker, issues: dict[str, Issue], nb: Path, git: Git
) -> None:
    links.link(tracker, nb, issues["experiment"].number)  # the link itself is a tracked change
    linked_bytes = nb.read_bytes()
    with pytest.raises(Conflict) as err:
        links.switch_branch(repo, tracker, nb)
    assert "nb/analysis.ipynb" in err.value.message
    assert git(repo.root, "branch", "--show-current") == "main"
    assert nb.read_bytes() == linked_bytes
    forced = links.switch_branch(repo, tracker, nb, force=True)
    assert forced.branch == f"experiment/{issues['experiment'].number}-gradient-boosting"
    assert nb.read_bytes() == linked_bytes  # carried over, not lost


def test_an_untracked_notebook_does_not_block(
    repo: Project,
    tracker: LocalTracker,
    issues: dict[str, Issue],
    make_notebook: Callable[..., Path],
    git: Git,
) -> None:
    fresh = make_notebook(repo.root / "nb" / "fresh.ipynb")
    links.link(tracker, fresh, issues["ask"].number)
    result = links.switch_branch(repo, tracker, fresh)
    assert result.branch == f"{issues['ask'].number}-why-do-customers-churn"  # an Ask: a feature branch
    assert git(repo.root, "branch", "--show-current") == result.branch
    assert document.get_link(fresh) is not None


def test_the_recorded_branch_is_the_notebooks_branch_after_a_rename(
    repo: Project, tracker: LocalTracker, issues: dict[str, Issue], nb: Path, git: Git
) -> None:
    explore = issues["explore"]
    linked = links.link(tracker, nb, explore.number)
    git(repo.root, "commit", "--quiet", "-am", "link")
    first = links.switch_branch(repo, tracker, nb)
    assert first.branch == linked.branch == f"explore/{explore.number}-churn-by-region"

    tracker.edit(explore.number, title="Churn by country")
    git(repo.root, "switch", "--quiet", "main")
    again = links.switch_branch(repo, tracker, nb)  # back to the notebook's branch, not a new one
    assert (again.branch, again.created) == (linked.branch, False)
    assert git(repo.root, "branch", "--list", "*country*") == ""
    state = links.status(repo, tracker, nb)
    assert state.on_branch and state.branch_renamed and state.expected_branch == linked.branch

    relinked = links.link(tracker, nb, explore.number)  # relinking the same issue keeps its branch
    assert relinked.branch == linked.branch and relinked.issue.title == "Churn by country"


def test_a_link_without_a_recorded_branch_gets_the_issues(
    repo: Project, tracker: LocalTracker, issues: dict[str, Issue], nb: Path, git: Git
) -> None:
    explore = issues["explore"]
    link = links.link(tracker, nb, explore.number)
    document.set_link(nb, NotebookLink(link.issue, link.ask, branch=""))  # an older or hand-made link
    git(repo.root, "commit", "--quiet", "-am", "link")
    assert links.status(repo, tracker, nb).expected_branch == link.branch
    assert links.switch_branch(repo, tracker, nb).branch == link.branch


def test_status_shows_a_missing_ask_as_missing(
    repo: Project, tracker: LocalTracker, issues: dict[str, Issue], nb: Path
) -> None:
    explore = issues["explore"]
    links.link(tracker, nb, explore.number)
    tracker.edit(explore.number, body=explore.body.replace(f"#{issues['ask'].number}", "#77"))
    state = links.status(repo, tracker, nb)
    assert state.issue is not None and state.issue.number == explore.number  # the issue still shows
    assert (state.ask, state.ask_number, state.ask_missing, state.issue_error) == (None, 77, True, None)
    assert state.to_json()["ask_missing"] is True


def test_new_issue_and_link_checks_the_notebook_first(
    repo: Project, tracker: LocalTracker, issues: dict[str, Issue], nb: Path
) -> None:
    count = len(tracker.list(IssueQuery(state="all")))
    broken = repo.root / "broken.ipynb"
    broken.write_bytes(b'{"cells": [')
    for path, error in ((broken, InvalidInput), (repo.root / "missing.ipynb", NotFound)):
        with pytest.raises(error):
            links.new_issue_and_link(tracker, path, IssueType.EXPLORE, "Churn again")
        assert len(tracker.list(IssueQuery(state="all"))) == count
    original = nb.read_bytes()
    issue, link = links.new_issue_and_link(
        tracker, nb, IssueType.EXPERIMENT, "Boosting", ask=issues["ask"].number, write=False
    )
    assert link == links.link_for(issue) and nb.read_bytes() == original  # write=False: an editor applies it
    issue, link = links.new_issue_and_link(
        tracker, nb, IssueType.MODEL, "Churn model", ask=issues["ask"].number
    )
    assert link is not None and document.get_link(nb) == link and link.issue.number == issue.number
    created, none = links.new_issue_and_link(tracker, None, IssueType.ASK, "Another question")
    assert none is None and tracker.get(created.number) == created
