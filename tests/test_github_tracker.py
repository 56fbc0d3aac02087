"""GitHubTracker against the local GitHub server, every request checked against GitHub's OpenAPI
description (tests/forges/github_spec.py): the whole Tracker protocol, the DSLP flow's reads and writes,
validation before the first write, and offline behaviour."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from forge_clients import closed_after_test

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.errors import InvalidInput, NotFound, TrackerError
from jupyter_dsl.trackers.base import IssueQuery, Label
from jupyter_dsl.trackers.github import GitHubTracker
from tests.forges.github_server import GitHubServer
from tests.forges.github_spec import checked_server

TOKEN = "ghp_PLANTEDfakeTOKEN0123456789abcdefABCD"


@pytest.fixture
def server() -> Iterator[GitHubServer]:
    with checked_server("octo/demo", token=TOKEN, enterprise=True) as running:
        yield running


def tracker_for(server: GitHubServer, cache: Path, repo: str = "octo/demo") -> GitHubTracker:
    tracker = GitHubTracker(
        repo,
        token=TOKEN,
        api_url=server.base_url,
        cache_dir=cache,
        backoff=0.01,
        rate_limit_wait=2.0,
        timeout=5,
    )
    return closed_after_test(tracker)


@pytest.fixture
def tracker(server: GitHubServer, tmp_path: Path) -> GitHubTracker:
    return tracker_for(server, tmp_path / "cache")


def writes(server: GitHubServer) -> list[tuple[str, str]]:
    return [(e.method, e.path) for e in server.exchanges if e.method != "GET"]


def test_create_and_get_an_issue(server: GitHubServer, tracker: GitHubTracker) -> None:
    issue = tracker.create("  Churn by region ", "## Problem Statement\n", ["ask"])
    assert (issue.tracker, issue.title, issue.labels, issue.state) == (
        "github",
        "Churn by region",
        ("Ask",),
        "open",
    )
    stored = server.issue(issue.number)
    assert [label["name"] for label in stored["labels"]] == ["Ask"]
    assert stored["body"] == "## Problem Statement\n"
    again = tracker.get(issue.number)
    assert again == issue
    assert issue.url == tracker.url_of(issue.number) == f"{server.web_url}/octo/demo/issues/{issue.number}"
    assert issue.author == "octocat"


def test_an_empty_title_is_refused_before_any_request(server: GitHubServer, tracker: GitHubTracker) -> None:
    with pytest.raises(InvalidInput):
        tracker.create("  ", "", [])
    assert server.exchanges == []


def test_list_filters_and_never_shows_pull_requests(server: GitHubServer, tracker: GitHubTracker) -> None:
    ask = server.seed_issue("Ask", labels=["Ask"])
    explore = server.seed_issue("Explore", labels=["Explore", "on hold"])
    done = server.seed_issue("Old explore", labels=["Explore"], state="closed")
    server.seed_pull("A PR", head=f"explore/{explore}-explore")
    assert [i.number for i in tracker.list(IssueQuery())] == [explore, ask]
    assert [i.number for i in tracker.list(IssueQuery(type=IssueType.EXPLORE, state="all"))] == [
        done,
        explore,
    ]
    assert [i.number for i in tracker.list(IssueQuery(state="closed"))] == [done]
    assert [i.number for i in tracker.list(IssueQuery(labels=("On Hold",), state="all"))] == [explore]


def test_list_reads_every_page(server: GitHubServer, tracker: GitHubTracker) -> None:
    for n in range(230):
        server.seed_issue(f"issue {n}", labels=["Data"])
    assert len(tracker.list(IssueQuery(type=IssueType.DATA))) == 230
    assert len(server.exchanges) == 3


def test_a_pull_request_number_is_not_an_issue(server: GitHubServer, tracker: GitHubTracker) -> None:
    pull = server.seed_pull("A PR", head="feature")
    with pytest.raises(NotFound, match="is a pull request, not an issue"):
        tracker.get(pull)
    with pytest.raises(NotFound):
        tracker.comment(pull, "hello")
    assert writes(server) == []


def test_comments(server: GitHubServer, tracker: GitHubTracker) -> None:
    first, other = server.seed_issue("One"), server.seed_issue("Two")
    comment = tracker.comment(first, "Found something")
    tracker.comment(first, "And more")
    assert [c.body for c in tracker.comments(first)] == ["Found something", "And more"]
    assert tracker.get(first).comments == 2
    edited = tracker.edit_comment(first, comment.id, "Found something else")
    assert server.comments(first)[0]["body"] == edited.body == "Found something else"
    with pytest.raises(NotFound, match=f"issue #{other} has no comment {comment.id}"):
        tracker.edit_comment(other, comment.id, "hijack")
    assert server.comments(first)[0]["body"] == "Found something else"
    with pytest.raises(InvalidInput):
        tracker.comment(first, "   ")


def test_edit_title_and_body(server: GitHubServer, tracker: GitHubTracker) -> None:
    number = server.seed_issue("Old", "old body")
    issue = tracker.edit(number, title="New", body="new body")
    assert (issue.title, issue.body) == ("New", "new body")
    assert (server.issue(number)["title"], server.issue(number)["body"]) == ("New", "new body")


def test_update_labels_checks_first_then_sets_the_final_set_once(
    server: GitHubServer, tracker: GitHubTracker
) -> None:
    number = server.seed_issue("Experiment", labels=["Experiment", "on hold"])
    with pytest.raises(NotFound, match="has no label 'failed'"):
        tracker.update_labels(number, add=["succeeded"], remove=["on hold", "failed"])
    assert writes(server) == []
    assert [label["name"] for label in server.issue(number)["labels"]] == ["Experiment", "on hold"]
    with pytest.raises(InvalidInput, match="both added and removed"):
        tracker.update_labels(number, add=["x"], remove=["X"])
    issue = tracker.update_labels(number, add=["Succeeded"], remove=["On Hold"])
    assert issue.labels == ("Experiment", "succeeded")
    assert writes(server) == [("PUT", f"/repos/octo/demo/issues/{number}/labels")]
    assert [label["name"] for label in server.issue(number)["labels"]] == ["Experiment", "succeeded"]
    assert tracker.remove_labels(number, ["Experiment", "succeeded"]).labels == ()
    assert server.issue(number)["labels"] == []
    assert writes(server)[-1] == ("DELETE", f"/repos/octo/demo/issues/{number}/labels")
    assert tracker.add_labels(number, ["Model"]).labels == ("Model",)


def test_close_with_a_reason_and_reopen(server: GitHubServer, tracker: GitHubTracker) -> None:
    number = server.seed_issue("Dead end", labels=["Explore"])
    closed = tracker.close(number, "not_planned")
    assert (closed.state, closed.state_reason) == ("closed", "not_planned")
    assert server.issue(number)["state_reason"] == "not_planned"
    reopened = tracker.reopen(number)
    assert (reopened.state, reopened.state_reason) == ("open", "reopened")
    assert tracker.close(number).state_reason == "completed"
    with pytest.raises(InvalidInput):
        tracker.close(number, "duplicate")  # type: ignore[arg-type]


def test_pull_request_of_an_issue(server: GitHubServer, tracker: GitHubTracker) -> None:
    related = server.seed_pull("Its PR", head="some-branch")
    linked = server.seed_issue("Linked", f"***Related PR:*** #{related}\n", labels=["Explore"])
    by_branch = server.seed_issue("By branch", labels=["Experiment"])
    pull = server.seed_pull("Branch PR", head=f"experiment/{by_branch}-by-branch")
    lonely = server.seed_issue("Lonely", labels=["Explore"])
    server.seed_pull("Another type's branch", head=f"model/{lonely}-lonely")
    assert tracker.pull_request(linked) is not None
    assert tracker.pull_request(linked).number == related  # type: ignore[union-attr]
    found = tracker.pull_request(by_branch)
    assert found is not None and (found.number, found.state) == (pull, "open")
    assert found.url == f"{server.web_url}/octo/demo/pull/{pull}"
    assert tracker.pull_request(lonely) is None


def test_open_and_close_a_pull_request(server: GitHubServer, tracker: GitHubTracker) -> None:
    server.seed_branch("explore/1-churn")
    opened = tracker.open_pull_request(
        head="explore/1-churn", base="main", title="Churn", body="Closes #1", draft=True
    )
    assert server.pull(opened.number)["head"]["ref"] == "explore/1-churn"
    assert server.pull(opened.number)["draft"] is True
    with pytest.raises(TrackerError, match="A pull request already exists for octo:explore/1-churn"):
        tracker.open_pull_request(head="explore/1-churn", base="main", title="Again", body="")
    with pytest.raises(
        TrackerError, match=r"no-such-branch into main: Validation Failed; PullRequest head"
    ) as bad:
        tracker.open_pull_request(head="no-such-branch", base="main", title="x", body="")
    assert bad.value.status == 422 and "(422" not in bad.value.message  # the status is data, not text
    closed = tracker.close_pull_request(opened.number)
    assert (closed.state, closed.merged) == ("closed", False)
    assert server.pull(opened.number)["state"] == "closed"


def test_labels_and_save_label(server: GitHubServer, tracker: GitHubTracker) -> None:
    server.seed_label("bug", "d73a4a", "Something is wrong")
    tracker.save_label(Label("Ask", "c9ecff", "Define and scope problem and solution"), exists=False)
    tracker.save_label(Label("bug", "#000000", "Broken"), exists=True)
    tracker.save_label(Label("on hold", "ffd04f", "Paused"), exists=False)
    tracker.save_label(Label("on hold", "ffd04e", "Paused for now"), exists=True)
    assert {label.name: (label.color, label.description) for label in tracker.labels()} == {
        "bug": ("000000", "Broken"),
        "Ask": ("c9ecff", "Define and scope problem and solution"),
        "on hold": ("ffd04e", "Paused for now"),
    }
    sent = len(server.exchanges)
    with pytest.raises(InvalidInput, match="not 6 hex digits"):
        tracker.save_label(Label("x", "red", ""), exists=False)
    with pytest.raises(TrackerError, match="already_exists"):
        tracker.save_label(Label("ASK", "ffffff", ""), exists=False)
    assert len(server.exchanges) == sent + 1


def test_an_unknown_repository_or_issue_is_not_found(server: GitHubServer, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="GitHub has no the issues of octo/missing"):
        tracker_for(server, tmp_path, "octo/missing").list(IssueQuery())
    with pytest.raises(NotFound, match="GitHub has no issue #42 in octo/demo"):
        tracker_for(server, tmp_path).get(42)


def test_offline_reads_are_cached_and_writes_change_nothing(server: GitHubServer, tmp_path: Path) -> None:
    number = server.seed_issue("Ask", labels=["Ask"])
    online = tracker_for(server, tmp_path)
    listed = online.list(IssueQuery())
    assert online.get(number).title == "Ask"
    assert online.offline_as_of is None
    server.stop()
    offline = tracker_for(server, tmp_path)
    assert offline.list(IssueQuery()) == listed
    assert offline.offline_as_of is not None
    assert offline.get(number).title == "Ask"
    for change in (
        lambda: offline.comment(number, "hi"),
        lambda: offline.close(number),
        lambda: offline.update_labels(number, add=["Data"]),
        lambda: offline.edit(number, title="x"),
        lambda: offline.create("New", "", []),
    ):
        with pytest.raises(TrackerError, match="cannot be reached"):
            change()
    server.start()
    assert server.issue(number)["state"] == "open" and server.comments(number) == []
    assert offline.list(IssueQuery()) == listed and offline.offline_as_of is None


def test_a_refresh_sees_a_change_made_on_github(server: GitHubServer, tracker: GitHubTracker) -> None:
    for n in range(120):
        server.seed_issue(f"issue {n}")
    assert tracker.list(IssueQuery())[0].title == "issue 119"
    server.exchanges.clear()
    assert tracker.list(IssueQuery())[0].title == "issue 119"
    assert [e.status for e in server.exchanges] == [304, 304]
    server.state.issues[120].title = "renamed on GitHub"
    server.changed()
    assert tracker.list(IssueQuery())[0].title == "renamed on GitHub"
