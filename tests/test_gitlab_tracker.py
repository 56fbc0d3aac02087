"""The GitLab tracker against a local server speaking GitLab's REST API v4 (tests/forges/gitlab_server.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from forges.gitlab_server import GitLabServer
from forges.gitlab_state import GitLabProject
from forges.gitlab_support import tracker_for

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.errors import Conflict, InvalidInput, NotFound
from jupyter_dsl.trackers import Label, Tracker
from jupyter_dsl.trackers.base import IssueQuery
from jupyter_dsl.trackers.gitlab import GitLabTracker


@pytest.fixture()
def gitlab() -> Iterator[GitLabServer]:
    with GitLabServer() as server:
        yield server


@pytest.fixture()
def tracker(gitlab: GitLabServer, tmp_path: Path) -> GitLabTracker:
    return tracker_for(gitlab, tmp_path / "cache")


def test_it_is_a_tracker_that_sends_the_token_in_private_token(
    gitlab: GitLabServer, tracker: GitLabTracker
) -> None:
    assert isinstance(tracker, Tracker)
    gitlab.project.add_issue("Why do customers churn?", "Because.", ["Ask"])
    issue = tracker.get(1)
    assert (issue.title, issue.body, issue.type, issue.state) == (
        "Why do customers churn?",
        "Because.",
        IssueType.ASK,
        "open",
    )
    assert gitlab.requests[-1].headers["PRIVATE-TOKEN"] == gitlab.token
    assert gitlab.requests[-1].raw_path.startswith("/api/v4/projects/data-team%2Fchurn/issues/1")


def test_create_sends_title_description_and_labels_and_gitlab_numbers_it(
    gitlab: GitLabServer, tracker: GitLabTracker
) -> None:
    gitlab.project.add_issue("an earlier one")
    issue = tracker.create("  Churn by region ", "***Prompted by:*** #1", ["explore", "on hold"])
    assert issue.number == 2 and issue.ask == 1
    stored = gitlab.project.issues[2]
    assert (stored["title"], stored["labels"]) == ("Churn by region", ["Explore", "on hold"])
    assert issue.url == f"{gitlab.root_url}/data-team/churn/-/issues/2"
    assert tracker.url_of(2) == issue.url


def test_list_filters_by_state_and_labels_and_follows_every_page(
    gitlab: GitLabServer, tracker: GitLabTracker
) -> None:
    for n in range(1, 251):
        gitlab.project.add_issue(f"issue {n}", labels=["Explore"] if n % 2 else ["Ask"])
    gitlab.project.update_issue(3, {"state_event": "close"})
    explores = tracker.list(IssueQuery(type=IssueType.EXPLORE))
    assert [i.number for i in explores] == [n for n in range(249, 0, -2) if n != 3]
    pages = gitlab.requests_to("GET", "/issues")
    assert [r.query.get("page", "1") for r in pages] == ["1", "2"]
    assert pages[0].query["state"] == "opened" and pages[0].query["labels"] == "Explore"
    everything = tracker.list(IssueQuery(state="all"))
    assert len(everything) == 250 and [i.number for i in everything][:2] == [250, 249]
    assert [i.number for i in tracker.list(IssueQuery(state="closed"))] == [3]


def test_an_unchanged_listing_is_revalidated_with_its_etag(
    gitlab: GitLabServer, tracker: GitLabTracker
) -> None:
    for n in range(1, 131):
        gitlab.project.add_issue(f"issue {n}")
    first = tracker.list(IssueQuery())
    before = len(gitlab.requests)
    assert tracker.list(IssueQuery()) == first
    again = gitlab.requests[before:]
    assert [r.status for r in again] == [304, 304]
    assert all(r.headers.get("If-None-Match", "").startswith('W/"') for r in again)


def test_comments_are_the_users_notes_oldest_first(gitlab: GitLabServer, tracker: GitLabTracker) -> None:
    gitlab.project.add_issue("Ask", labels=["Ask"])
    for n in range(1, 131):
        gitlab.project.add_note(1, f"note {n}")
    gitlab.project.update_issue(1, {"description": "edited"})  # leaves a system note
    assert gitlab.project.notes[1][-1]["system"] is True
    comments = tracker.comments(1)
    assert [c.body for c in comments] == [f"note {n}" for n in range(1, 131)]
    assert comments[0].url == f"{gitlab.root_url}/data-team/churn/-/issues/1#note_{comments[0].id}"
    assert gitlab.requests_to("GET", "/notes")[0].query["sort"] == "asc"


def test_comment_and_edit_comment(gitlab: GitLabServer, tracker: GitLabTracker) -> None:
    gitlab.project.add_issue("Ask", labels=["Ask"])
    made = tracker.comment(1, "- [ ] #2 Churn by region")
    edited = tracker.edit_comment(1, made.id, "- [x] #2 Churn by region: TL;DR")
    assert edited.id == made.id
    assert [n["body"] for n in gitlab.project.notes[1]] == ["- [x] #2 Churn by region: TL;DR"]
    with pytest.raises(NotFound, match="no comment 999"):
        tracker.edit_comment(1, 999, "x")
    with pytest.raises(NotFound, match="issue #5 does not exist"):
        tracker.comment(5, "x")
    with pytest.raises(InvalidInput):
        tracker.comment(1, "  ")


def test_update_labels_is_one_request_after_checking(gitlab: GitLabServer, tracker: GitLabTracker) -> None:
    gitlab.project.add_issue("E", labels=["Experiment", "on hold"])
    issue = tracker.update_labels(1, add=["succeeded"], remove=["On Hold"])
    assert issue.labels == ("Experiment", "succeeded")
    puts = gitlab.requests_to("PUT", "/issues/1")
    assert [r.body for r in puts] == [{"add_labels": "succeeded", "remove_labels": "on hold"}]
    with pytest.raises(NotFound, match="has no label 'failed'"):
        tracker.update_labels(1, add=["blocked - need access"], remove=["failed"])
    with pytest.raises(InvalidInput, match="both added and removed"):
        tracker.update_labels(1, add=["failed"], remove=["failed"])
    assert len(gitlab.requests_to("PUT")) == 1 and gitlab.project.issues[1]["labels"] == [
        "Experiment",
        "succeeded",
    ]
    assert tracker.add_labels(1, ["Experiment"]).labels == ("Experiment", "succeeded")  # nothing to do
    assert len(gitlab.requests_to("PUT")) == 1
    assert tracker.remove_labels(1, ["succeeded"]).labels == ("Experiment",)


def test_edit_close_and_reopen_use_state_event(gitlab: GitLabServer, tracker: GitLabTracker) -> None:
    gitlab.project.add_issue("E", "old", ["Explore"])
    assert tracker.edit(1, title="Churn", body="new").title == "Churn"
    assert gitlab.project.issues[1]["description"] == "new"
    closed = tracker.close(1)
    assert (closed.state, closed.state_reason) == ("closed", "completed")
    assert gitlab.requests_to("PUT")[-1].body == {"state_event": "close"}
    assert tracker.reopen(1).state == "open" and gitlab.project.issues[1]["state"] == "opened"
    with pytest.raises(InvalidInput, match="close reason"):
        tracker.close(1, "wontfix")  # type: ignore[arg-type]


def test_not_planned_closes_and_notes_it_once(gitlab: GitLabServer, tracker: GitLabTracker) -> None:
    gitlab.project.add_issue("E", "", ["Explore"])
    closed = tracker.close(1, "not_planned")
    assert (closed.state, closed.state_reason) == ("closed", "not_planned")
    assert [c.body for c in tracker.comments(1)] == ["Closed as not planned"]
    tracker.close(1, "not_planned")  # again: the note is there already
    assert [n["body"] for n in gitlab.project.notes[1] if not n["system"]] == ["Closed as not planned"]


def test_labels_and_save_label(gitlab: GitLabServer, tracker: GitLabTracker) -> None:
    gitlab.seed(labels=[("Ask", "FF0000", "old")])
    tracker.save_label(Label("Ask", "c9ecff", "Define and scope problem and solution"), exists=True)
    tracker.save_label(Label("blocked - need access", "ed9a53", "Waiting for access"), exists=False)
    assert tracker.labels() == [
        Label("Ask", "c9ecff", "Define and scope problem and solution"),
        Label("blocked - need access", "ed9a53", "Waiting for access"),
    ]
    assert gitlab.project.labels["Ask"]["color"] == "#c9ecff"
    assert gitlab.requests_to("POST", "/labels")[0].body["color"] == "#ed9a53"
    with pytest.raises(Conflict, match="already exists"):
        tracker.save_label(Label("Ask", "c9ecff", ""), exists=False)
    with pytest.raises(NotFound):
        tracker.save_label(Label("Data", "1c587c", ""), exists=True)


def test_merge_requests_open_find_and_close(gitlab: GitLabServer, tracker: GitLabTracker) -> None:
    gitlab.project.add_issue("Ask", labels=["Ask"])
    gitlab.project.add_issue("Churn by region", "***Ask Reference:*** #1", ["Explore"])
    assert tracker.pull_request(2) is None
    gitlab.project.add_merge_request("explore/20-other", "main", "another issue's")
    pull = tracker.open_pull_request(
        head="explore/2-churn-by-region", base="main", title="Churn", body="b", draft=True
    )
    mr = gitlab.project.merge_requests[pull.number]
    assert (mr["title"], mr["draft"], mr["source_branch"], mr["description"]) == (
        "Draft: Churn",
        True,
        "explore/2-churn-by-region",
        "b",
    )
    assert tracker.pull_request(2) == pull  # found by its branch
    with pytest.raises(Conflict, match="already exists"):
        tracker.open_pull_request(head="explore/2-churn-by-region", base="main", title="Churn", body="")
    closed = tracker.close_pull_request(pull.number)
    assert (closed.state, closed.merged) == ("closed", False)
    assert gitlab.requests_to("PUT", "/merge_requests")[-1].body == {"state_event": "close"}
    assert tracker.pull_request(2) is None  # closed: no longer the branch's open one
    with pytest.raises(InvalidInput):
        tracker.open_pull_request(head="main", base="main", title="x", body="")


def test_the_related_pr_line_wins_and_a_merged_request_is_not_closed(
    gitlab: GitLabServer, tracker: GitLabTracker
) -> None:
    gitlab.project.add_merge_request("explore/1-churn", "main", "by branch")
    gitlab.project.add_merge_request("elsewhere", "main", "named")
    gitlab.project.merge_merge_request(2)
    assert gitlab.seed(issues=[("Churn", "***Related PR:*** !2", ["Explore"])]) == [1]
    pull = tracker.pull_request(1)
    assert pull is not None and (pull.number, pull.merged) == (2, True)
    with pytest.raises(Conflict, match="already merged"):
        tracker.close_pull_request(2)
    gitlab.project.update_issue(1, {"description": "***Related PR:*** !9"})  # stale: the branch's one
    assert getattr(tracker.pull_request(1), "number", None) == 1


def test_a_numeric_project_id_and_a_subgroup_path(tmp_path: Path) -> None:
    with GitLabServer(GitLabProject(path="org/analytics/churn", id=77)) as gitlab:
        gitlab.project.add_issue("Ask", labels=["Ask"])
        by_id = tracker_for(gitlab, None, project="77")
        assert by_id.get(1).title == "Ask"
        assert by_id.url_of(1) == f"{gitlab.root_url}/org/analytics/churn/-/issues/1"
        by_path = tracker_for(gitlab, None)
        assert by_path.get(1).title == "Ask"
        assert gitlab.requests[-1].raw_path.startswith("/api/v4/projects/org%2Fanalytics%2Fchurn/")
