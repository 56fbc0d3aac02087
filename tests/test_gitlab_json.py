"""GitLab JSON <-> tracker types, and GitLab's spellings (project ids, colours, draft titles, !N)."""

from __future__ import annotations

import pytest

from jupyter_dsl.errors import ConfigError, InvalidInput
from jupyter_dsl.trackers.gitlab_json import (
    api_base,
    comment_of,
    draft_title,
    from_gitlab_color,
    issue_of,
    label_of,
    project_id,
    pull_of,
    related_merge_request,
    to_gitlab_color,
    web_root,
)

# An issue as GitLab's documentation shows one (trimmed), with a null description.
ISSUE = {
    "id": 76, "iid": 6, "project_id": 8, "title": "Consequatur vero maxime", "description": None,
    "state": "closed", "created_at": "2016-01-04T15:31:51.081Z", "updated_at": "2016-01-04T15:33:02.123Z",
    "closed_at": "2016-01-04T15:33:02.123Z", "labels": ["Ask", "on hold"],
    "author": {"id": 1, "username": "jdoe", "name": "J Doe"}, "user_notes_count": 3,
    "web_url": "http://gitlab.example.com/my-group/my-project/-/issues/6",
}  # fmt: skip


def test_an_issue_is_numbered_by_iid_and_its_state_and_fields_are_translated() -> None:
    issue = issue_of(ISSUE)
    assert (issue.number, issue.tracker, issue.state, issue.body) == (6, "gitlab", "closed", "")
    assert issue.labels == ("Ask", "on hold")
    assert issue.author == "jdoe" and issue.comments == 3
    assert issue.url == "http://gitlab.example.com/my-group/my-project/-/issues/6"
    assert (issue.created_at, issue.closed_at) == ("2016-01-04T15:31:51Z", "2016-01-04T15:33:02Z")
    assert issue_of({**ISSUE, "state": "opened", "closed_at": None}).state == "open"
    detailed = issue_of({**ISSUE, "labels": [{"name": "Ask", "color": "#c9ecff"}]})  # with_labels_details
    assert detailed.labels == ("Ask",)


def test_notes_merge_requests_and_labels() -> None:
    note = {
        "id": 302,
        "body": "closed",
        "author": {"username": "pipin"},
        "created_at": "2013-10-02T09:22:45Z",
    }
    comment = comment_of(note, 6, "http://gitlab.example.com/g/p/-/issues/6")
    assert (comment.id, comment.issue, comment.author) == (302, 6, "pipin")
    assert comment.url == "http://gitlab.example.com/g/p/-/issues/6#note_302"
    assert pull_of({"iid": 1, "state": "merged", "web_url": "u"}).merged is True
    assert pull_of({"iid": 1, "state": "merged"}).state == "closed"
    assert pull_of({"iid": 2, "state": "opened"}).state == "open"
    label = label_of({"id": 1, "name": "bug", "color": "#D9534F", "description": None})
    assert (label.name, label.color, label.description) == ("bug", "d9534f", "")


@pytest.mark.parametrize(
    ("given", "sent"), [("c9ecff", "#c9ecff"), ("#C9ECFF", "#c9ecff"), (" 0b4e82 ", "#0b4e82")]
)
def test_label_colours_go_to_gitlab_with_a_hash(given: str, sent: str) -> None:
    assert to_gitlab_color(given) == sent


@pytest.mark.parametrize(("given", "read"), [("#FFAABB", "ffaabb"), ("#abc", "aabbcc"), ("red", "")])
def test_label_colours_come_back_as_six_digits_or_unknown(given: str, read: str) -> None:
    assert from_gitlab_color(given) == read


def test_a_colour_that_is_not_six_hex_digits_is_refused() -> None:
    with pytest.raises(InvalidInput, match="6 hex digits"):
        to_gitlab_color("blue")


@pytest.mark.parametrize(
    ("project", "segment"),
    [
        ("data-team/churn", "data-team%2Fchurn"),
        ("org/sub.group/my_app", "org%2Fsub.group%2Fmy_app"),
        ("42", "42"),
    ],
)
def test_a_project_path_is_one_url_encoded_segment(project: str, segment: str) -> None:
    assert project_id(project) == segment


@pytest.mark.parametrize("project", ["churn", "", "group/", "group/na me"])
def test_a_project_without_its_group_is_a_config_error(project: str) -> None:
    with pytest.raises(ConfigError, match=r"\[tracker\] project"):
        project_id(project)


def test_api_url_gets_api_v4_when_it_names_only_the_instance() -> None:
    assert api_base("") == "https://gitlab.com/api/v4"
    assert api_base("https://git.example.org/") == "https://git.example.org/api/v4"
    assert api_base("https://example.org/gitlab/api/v4") == "https://example.org/gitlab/api/v4"
    assert web_root("https://example.org/gitlab/api/v4") == "https://example.org/gitlab"
    with pytest.raises(ConfigError, match="api_url"):
        api_base("git.example.org")


def test_a_draft_merge_request_gets_the_draft_prefix_once() -> None:
    assert draft_title("Churn by region", True) == "Draft: Churn by region"
    assert draft_title("Draft: Churn by region", True) == "Draft: Churn by region"
    assert draft_title("Churn by region", False) == "Churn by region"


@pytest.mark.parametrize(
    ("body", "number"),
    [
        ("## Overview\n***Prompted by:*** #1\n***Related PR:*** !7\n", 7),
        ("- **Related PR:** #12", 12),
        ("***Related PR:*** http://gitlab.example.com/g/p/-/merge_requests/3", 3),
        ("***Related PR:***\n", None),
        ("```\n***Related PR:*** !7\n```\n", None),
    ],
)
def test_the_related_pr_line_names_a_merge_request(body: str, number: int | None) -> None:
    assert related_merge_request(body) == number
