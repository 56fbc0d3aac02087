"""The GitLab tracker when GitLab fails: rate limits, 5xx, timeouts, refused tokens, missing things,
validation errors and no connection at all. The planted token never shows up anywhere."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from forges.gitlab_server import FAKE_TOKEN, Fault, GitLabServer
from forges.gitlab_support import tracker_for

from jupyter_dsl.errors import ConfigError, NotFound, TrackerError
from jupyter_dsl.trackers.base import IssueQuery
from jupyter_dsl.trackers.gitlab import GitLabTracker


@pytest.fixture()
def gitlab() -> Iterator[GitLabServer]:
    with GitLabServer() as server:
        server.project.add_issue("Why do customers churn?", "Because.", ["Ask"])
        server.project.add_note(1, "first")
        yield server


@pytest.fixture()
def tracker(gitlab: GitLabServer, tmp_path: Path) -> GitLabTracker:
    return tracker_for(gitlab, tmp_path / "cache")


def _rate_limited(retry_after: int) -> Fault:
    """A 429 as GitLab sends it: RateLimit-* headers, Retry-After, a plain-text body."""
    reset = int(time.time()) + retry_after
    headers = {"Retry-After": str(retry_after), "RateLimit-Limit": "600", "RateLimit-Remaining": "0"}
    headers |= {"RateLimit-Reset": str(reset), "RateLimit-Observed": "601"}
    return Fault(status=429, body="Retry later\n", headers=headers)


def test_a_rate_limit_is_waited_out_then_the_request_succeeds(
    gitlab: GitLabServer, tracker: GitLabTracker
) -> None:
    gitlab.fail(_rate_limited(0))
    assert tracker.get(1).title == "Why do customers churn?"
    assert [r.status for r in gitlab.requests_to("GET", "/issues/1")] == [429, 200]


def test_a_rate_limit_longer_than_the_bound_fails_saying_when_it_resets(
    gitlab: GitLabServer, tracker: GitLabTracker
) -> None:
    gitlab.fail(_rate_limited(3600))
    with pytest.raises(TrackerError, match="rate limit") as caught:
        tracker.comment(1, "not sent")
    assert "resets at" in caught.value.message and caught.value.exit_code == 6
    assert [n["body"] for n in gitlab.project.notes[1]] == ["first"]


def test_bad_gateway_twice_then_success_for_reads_and_safe_writes(
    gitlab: GitLabServer, tracker: GitLabTracker
) -> None:
    gitlab.fail(Fault(status=502, body="<html>502 Bad Gateway</html>", method="GET", times=2))
    assert [c.body for c in tracker.comments(1)] == ["first"]
    assert [r.status for r in gitlab.requests_to("GET", "/notes")] == [502, 502, 200]
    gitlab.fail(Fault(status=502, body="", method="PUT", times=2))
    assert tracker.update_labels(1, add=["on hold"]).labels == ("Ask", "on hold")
    assert [r.status for r in gitlab.requests_to("PUT")] == [502, 502, 200]


def test_a_new_note_is_never_posted_twice(gitlab: GitLabServer, tracker: GitLabTracker) -> None:
    gitlab.fail(Fault(status=502, method="POST"))
    with pytest.raises(TrackerError, match="502"):
        tracker.comment(1, "once")
    assert len(gitlab.requests_to("POST", "/notes")) == 1


def test_a_timeout_is_retried_for_a_read(gitlab: GitLabServer, tmp_path: Path) -> None:
    tracker = tracker_for(gitlab, tmp_path, timeout=0.3)
    gitlab.fail(Fault(delay=1.5, method="GET", path="/issues/1"))
    assert tracker.get(1).number == 1
    assert len(gitlab.requests_to("GET", "/issues/1")) >= 1  # the slow answer may still be on its way
    gitlab.fail(Fault(delay=1.5, method="GET", path="/issues/1", times=10))
    with pytest.raises(TrackerError, match="did not answer in time"):
        tracker_for(gitlab, tmp_path, timeout=0.3, retries=1).get(1)


def test_a_wrong_token_is_401_and_says_how_to_get_one(gitlab: GitLabServer, tmp_path: Path) -> None:
    tracker = tracker_for(gitlab, tmp_path, token="glpat-wrong-one")
    with pytest.raises(TrackerError, match="401") as caught:
        tracker.get(1)
    assert "GITLAB_TOKEN" in str(caught.value) and "`api` scope" in str(caught.value)
    assert "glpat-wrong-one" not in str(caught.value)


def test_a_read_only_token_can_read_but_writing_names_the_api_scope(
    gitlab: GitLabServer, tracker: GitLabTracker
) -> None:
    gitlab.scopes = {"read_api"}
    assert tracker.get(1).title == "Why do customers churn?"
    with pytest.raises(TrackerError, match="the token lacks the `api` scope") as caught:
        tracker.close(1)
    assert caught.value.status == 403 and "GITLAB_TOKEN" in str(caught.value)
    assert gitlab.project.issues[1]["state"] == "opened"


def test_missing_issue_and_missing_project_are_told_apart(gitlab: GitLabServer, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="issue #7 does not exist in GitLab project data-team/churn"):
        tracker_for(gitlab, tmp_path).get(7)
    elsewhere = tracker_for(gitlab, tmp_path, project="data-team/other")
    for action in (lambda: elsewhere.get(1), lambda: elsewhere.list(IssueQuery()), elsewhere.labels):
        with pytest.raises(NotFound, match="no project 'data-team/other'") as caught:
            action()
        assert "[tracker] project" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ({"message": {"title": ["is too long (maximum is 255 characters)"]}}, "title is too long"),
        ({"error": "title is missing"}, "title is missing"),
    ],
)
def test_a_validation_error_shows_gitlabs_reason(
    gitlab: GitLabServer, tracker: GitLabTracker, body: dict[str, object], shown: str
) -> None:
    gitlab.fail(Fault(status=400, body=body, method="POST"))
    with pytest.raises(TrackerError, match="GitLab rejected a new issue") as caught:
        tracker.create("t" * 300, "", ["Ask"])
    assert shown in str(caught.value) and "Nothing was changed" in str(caught.value)
    assert sorted(gitlab.project.issues) == [1]


def test_offline_reads_come_from_the_cache_and_writes_change_nothing(
    gitlab: GitLabServer, tracker: GitLabTracker
) -> None:
    issue, listed, notes = tracker.get(1), tracker.list(IssueQuery()), tracker.comments(1)
    assert tracker.offline_as_of is None
    gitlab.stop()
    assert tracker.get(1) == issue
    stamp = tracker.offline_as_of
    assert stamp is not None and stamp.endswith("Z") and stamp[:4].isdigit()
    assert tracker.list(IssueQuery()) == listed and tracker.comments(1) == notes
    with pytest.raises(TrackerError, match="no cached copy"):
        tracker.list(IssueQuery(state="closed"))
    writes = [
        lambda: tracker.comment(1, "x"),
        lambda: tracker.update_labels(1, add=["on hold"]),
        lambda: tracker.close(1, "not_planned"),
        lambda: tracker.create("new", "", ["Ask"]),
        lambda: tracker.edit(1, title="renamed"),
    ]
    for write in writes:
        with pytest.raises(TrackerError, match="offline") as caught:
            write()
        assert "nothing was changed" in str(caught.value)
    seen = len(gitlab.requests)
    gitlab.start()
    assert len(gitlab.requests) == seen  # no write reached GitLab while it was away
    after = tracker.get(1)
    assert tracker.offline_as_of is None
    assert (after.title, after.state, after.labels, after.comments) == (issue.title, "open", ("Ask",), 1)


def test_the_token_is_in_no_cache_file_log_line_or_message(
    gitlab: GitLabServer, tracker: GitLabTracker, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    gitlab.project.add_issue(f"mentions {FAKE_TOKEN[:5]}", "", ["Ask"])
    tracker.list(IssueQuery())
    tracker.comments(1)
    tracker.labels()
    messages: list[str] = []
    gitlab.fail(Fault(status=400, body={"message": f"token {FAKE_TOKEN} is odd"}, method="PUT"))
    gitlab.fail(Fault(status=500, body=f"echo {FAKE_TOKEN}", method="POST"))
    gitlab.fail(_rate_limited(3600))
    for action in (
        lambda: tracker.edit(1, title="x"),
        lambda: tracker.comment(1, "x"),
        lambda: tracker.get(1),
    ):
        with pytest.raises(TrackerError) as caught:
            action()
        messages.append(str(caught.value))
    gitlab.stop()
    with pytest.raises(TrackerError) as caught:
        tracker.comment(1, "offline")
    messages.append(str(caught.value))
    cached = [p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert len(cached) >= 3
    assert not any(FAKE_TOKEN.encode() in data for data in cached)
    assert not any(FAKE_TOKEN in m for m in messages) and len(messages) == 4
    assert caplog.records and not any(FAKE_TOKEN in r.getMessage() for r in caplog.records)
    assert gitlab.requests[0].headers["PRIVATE-TOKEN"] == FAKE_TOKEN  # it was sent, where it belongs


def test_no_token_anywhere_is_a_config_error_that_names_the_scope(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from jupyter_dsl.trackers.gitlab_auth import gitlab_token

    monkeypatch.delenv("GITLAB_TOKEN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no glab
    with pytest.raises(ConfigError, match="no GitLab token") as caught:
        gitlab_token("https://gitlab.example.com/api/v4")
    assert "`api` scope" in str(caught.value)
