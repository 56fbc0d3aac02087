"""The in-memory repository behind the test GitHub server: issues, pull requests (which share the
issues' numbers, as on GitHub), comments, labels and branches, rendered as GitHub's REST API does.

Operations raise ``ApiError`` with GitHub's status codes and error bodies (422 with an ``errors``
array); the server turns them into responses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

DOCS = "https://docs.github.com/rest"
_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")


class ApiError(Exception):
    def __init__(self, status: int, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"message": message, "documentation_url": DOCS, "status": str(status)}
        if errors is not None:
            self.body["errors"] = errors


def validation(resource: str, field_name: str, code: str) -> ApiError:
    return ApiError(422, "Validation Failed", [{"resource": resource, "field": field_name, "code": code}])


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Pull:
    head: str
    base: str
    draft: bool = False
    merged: bool = False


@dataclass
class IssueRecord:
    number: int
    title: str
    body: str | None
    user: str
    labels: list[str] = field(default_factory=list)
    state: str = "open"
    state_reason: str | None = None
    created_at: str = field(default_factory=now)
    updated_at: str = field(default_factory=now)
    closed_at: str | None = None
    pull: Pull | None = None  # set: this number is a pull request


@dataclass
class CommentRecord:
    id: int
    issue: int
    body: str
    user: str
    created_at: str = field(default_factory=now)
    updated_at: str = field(default_factory=now)


@dataclass
class LabelRecord:
    id: int
    name: str
    color: str
    description: str | None


class RepoState:
    """One repository ``owner/name``; ``web`` and ``api`` are the URLs rendered into objects."""

    def __init__(self, owner: str, name: str, *, login: str = "octocat") -> None:
        self.owner, self.name, self.login = owner, name, login
        self.api = ""
        self.web = "https://github.test"
        self.issues: dict[int, IssueRecord] = {}
        self.comments: dict[int, CommentRecord] = {}
        self.labels: dict[str, LabelRecord] = {}  # keyed by lower-case name, as GitHub matches them
        self.branches: set[str] = {"main"}
        self._next_comment = 1000
        self._next_label = 500

    # -- writes --------------------------------------------------------------------------------

    def ensure_label(self, name: str) -> LabelRecord:
        """GitHub makes a label it has never seen when an issue gets it (grey, no description)."""
        label = self.labels.get(name.lower())
        if label is None:
            self._next_label += 1
            label = self.labels[name.lower()] = LabelRecord(self._next_label, name, "ededed", None)
        return label

    def create_issue(
        self, title: Any, body: Any, labels: list[str], *, pull: Pull | None = None
    ) -> IssueRecord:
        if not isinstance(title, str | int) or not str(title).strip():
            raise validation("Issue", "title", "missing_field")
        number = max(self.issues, default=0) + 1
        names = [self.ensure_label(n).name for n in dict.fromkeys(labels)]
        issue = IssueRecord(number, str(title), body, self.login, names, pull=pull)
        self.issues[number] = issue
        return issue

    def touch(self, issue: IssueRecord) -> None:
        issue.updated_at = now()

    def set_state(self, issue: IssueRecord, state: str, reason: str | None) -> None:
        if state == issue.state:
            return
        issue.state = state
        if state == "closed":
            issue.state_reason = reason or "completed"
            issue.closed_at = now()
        else:
            issue.state_reason, issue.closed_at = "reopened", None

    def add_comment(self, issue: IssueRecord, body: Any) -> CommentRecord:
        if not isinstance(body, str) or not body:
            raise validation("IssueComment", "body", "missing_field")
        self._next_comment += 1
        comment = CommentRecord(self._next_comment, issue.number, body, self.login)
        self.comments[comment.id] = comment
        self.touch(issue)
        return comment

    def save_label(
        self, name: str, color: Any, description: Any, *, current: LabelRecord | None
    ) -> LabelRecord:
        if not isinstance(color, str) or not _COLOR.match(color):
            raise validation("Label", "color", "invalid")
        if description is not None and len(str(description)) > 100:
            raise validation("Label", "description", "invalid")
        clash = self.labels.get(name.lower())
        if clash is not None and clash is not current:
            raise validation("Label", "name", "already_exists")
        if current is None:
            self._next_label += 1
            current = LabelRecord(self._next_label, name, color, description)
        else:
            self.labels.pop(current.name.lower())
            old = current.name
            current.name, current.color, current.description = name, color, description
            for issue in self.issues.values():
                issue.labels = [name if n == old else n for n in issue.labels]
        self.labels[name.lower()] = current
        return current

    # -- rendering -----------------------------------------------------------------------------

    @property
    def repo_api(self) -> str:
        return f"{self.api}/repos/{self.owner}/{self.name}"

    def user_json(self, login: str) -> dict[str, Any]:
        url = f"{self.api}/users/{login}"
        return {
            "login": login, "id": 1, "node_id": "MDQ6VXNlcjE=", "avatar_url": f"{self.web}/{login}.png",
            "gravatar_id": "", "url": url, "html_url": f"{self.web}/{login}",
            "followers_url": f"{url}/followers", "following_url": f"{url}/following{{/other_user}}",
            "gists_url": f"{url}/gists{{/gist_id}}", "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{url}/subscriptions", "organizations_url": f"{url}/orgs",
            "repos_url": f"{url}/repos", "events_url": f"{url}/events{{/privacy}}",
            "received_events_url": f"{url}/received_events", "type": "User", "site_admin": False,
        }  # fmt: skip

    def label_json(self, label: LabelRecord) -> dict[str, Any]:
        return {
            "id": label.id, "node_id": f"LA_{label.id}", "url": f"{self.repo_api}/labels/{label.name}",
            "name": label.name, "description": label.description, "color": label.color, "default": False,
        }  # fmt: skip

    def issue_json(self, issue: IssueRecord) -> dict[str, Any]:
        url = f"{self.repo_api}/issues/{issue.number}"
        kind = "pull" if issue.pull else "issues"
        data: dict[str, Any] = {
            "id": 10_000 + issue.number, "node_id": f"I_{issue.number}", "url": url,
            "repository_url": self.repo_api, "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments", "events_url": f"{url}/events",
            "html_url": f"{self.web}/{self.owner}/{self.name}/{kind}/{issue.number}",
            "number": issue.number, "state": issue.state, "state_reason": issue.state_reason,
            "title": issue.title, "body": issue.body, "user": self.user_json(issue.user),
            "labels": [self.label_json(self.ensure_label(n)) for n in issue.labels],
            "assignee": None, "assignees": [], "milestone": None, "locked": False,
            "comments": sum(1 for c in self.comments.values() if c.issue == issue.number),
            "created_at": issue.created_at, "updated_at": issue.updated_at, "closed_at": issue.closed_at,
            "author_association": "OWNER",
        }  # fmt: skip
        if issue.pull:
            pulls = f"{self.repo_api}/pulls/{issue.number}"
            data["pull_request"] = {
                "url": pulls, "html_url": data["html_url"], "diff_url": f"{data['html_url']}.diff",
                "patch_url": f"{data['html_url']}.patch",
                "merged_at": issue.updated_at if issue.pull.merged else None,
            }  # fmt: skip
        return data

    def issue_web(self, number: int) -> str:
        return f"{self.web}/{self.owner}/{self.name}/issues/{number}"

    def comment_json(self, comment: CommentRecord) -> dict[str, Any]:
        return {
            "id": comment.id, "node_id": f"IC_{comment.id}",
            "url": f"{self.repo_api}/issues/comments/{comment.id}",
            "html_url": f"{self.issue_web(comment.issue)}#issuecomment-{comment.id}",
            "issue_url": f"{self.repo_api}/issues/{comment.issue}", "body": comment.body,
            "user": self.user_json(comment.user), "created_at": comment.created_at,
            "updated_at": comment.updated_at, "author_association": "OWNER",
        }  # fmt: skip

    def pull_json(self, issue: IssueRecord) -> dict[str, Any]:
        """The fields of a pull request the tracker reads (GitHub sends many more)."""
        assert issue.pull is not None
        return {
            "id": 20_000 + issue.number, "number": issue.number, "state": issue.state,
            "title": issue.title, "body": issue.body, "draft": issue.pull.draft,
            "merged": issue.pull.merged, "merged_at": issue.updated_at if issue.pull.merged else None,
            "html_url": f"{self.web}/{self.owner}/{self.name}/pull/{issue.number}",
            "url": f"{self.repo_api}/pulls/{issue.number}", "user": self.user_json(issue.user),
            "head": {"ref": issue.pull.head, "label": f"{self.owner}:{issue.pull.head}"},
            "base": {"ref": issue.pull.base, "label": f"{self.owner}:{issue.pull.base}"},
            "created_at": issue.created_at, "updated_at": issue.updated_at, "closed_at": issue.closed_at,
        }  # fmt: skip
