"""The endpoints of the test GitHub server: (method, OpenAPI path template, handler).

A handler gets the server, the path parameters, the query and the JSON body, and returns
``(status, data)``; GET lists return every item and the server cuts the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .github_state import ApiError, IssueRecord, Pull, validation

if TYPE_CHECKING:
    from .github_server import GitHubServer

Query = dict[str, list[str]]
Handler = Callable[["GitHubServer", dict[str, str], Query, Any], tuple[int, Any]]


def _arg(query: Query, name: str, default: str) -> str:
    return query.get(name, [default])[0]


def _issue(server: GitHubServer, params: dict[str, str], *, pull: bool | None = None) -> IssueRecord:
    try:
        issue = server.state.issues[int(params["number"])]
    except (KeyError, ValueError) as exc:
        raise ApiError(404, "Not Found") from exc
    if pull and issue.pull is None:
        raise ApiError(404, "Not Found")
    return issue


def _object(body: Any) -> dict[str, Any]:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ApiError(400, "Problems parsing JSON")
    return body


def get_repo(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    state = server.state
    return 200, {"id": 1, "name": state.name, "full_name": f"{state.owner}/{state.name}", "has_issues": True,
                 "html_url": f"{state.web}/{state.owner}/{state.name}", "default_branch": "main"}  # fmt: skip


def list_issues(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    state = _arg(query, "state", "open")
    if state not in ("open", "closed", "all"):
        raise validation("Issue", "state", "invalid")
    wanted = {n.strip().lower() for n in _arg(query, "labels", "").split(",") if n.strip()}
    issues = [
        server.state.issue_json(issue)
        for issue in sorted(server.state.issues.values(), key=lambda i: i.number, reverse=True)
        if state in ("all", issue.state) and wanted <= {n.lower() for n in issue.labels}
    ]
    return 200, issues


def create_issue(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    data = _object(body)
    labels = data.get("labels") or []
    issue = server.state.create_issue(data.get("title"), data.get("body"), [str(n) for n in labels])
    return 201, server.state.issue_json(issue)


def get_issue(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    return 200, server.state.issue_json(_issue(server, params))


def update_issue(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    issue, data = _issue(server, params), _object(body)
    if "title" in data:
        if not str(data["title"] or "").strip():
            raise validation("Issue", "title", "missing_field")
        issue.title = str(data["title"])
    if "body" in data:
        issue.body = data["body"]
    if "labels" in data:
        issue.labels = [server.state.ensure_label(str(n)).name for n in dict.fromkeys(data["labels"])]
    if "state" in data:
        if data["state"] not in ("open", "closed"):
            raise validation("Issue", "state", "invalid")
        server.state.set_state(issue, data["state"], data.get("state_reason"))
    server.state.touch(issue)
    return 200, server.state.issue_json(issue)


def list_comments(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    issue = _issue(server, params)
    state = server.state
    return 200, [state.comment_json(c) for c in state.comments.values() if c.issue == issue.number]


def create_comment(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    comment = server.state.add_comment(_issue(server, params), _object(body).get("body"))
    return 201, server.state.comment_json(comment)


def _comment(server: GitHubServer, params: dict[str, str]) -> Any:
    comment = server.state.comments.get(int(params["comment_id"]))
    if comment is None:
        raise ApiError(404, "Not Found")
    return comment


def get_comment(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    return 200, server.state.comment_json(_comment(server, params))


def update_comment(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    comment, text = _comment(server, params), _object(body).get("body")
    if not isinstance(text, str) or not text:
        raise validation("IssueComment", "body", "missing_field")
    comment.body = text
    server.state.touch(server.state.issues[comment.issue])
    return 200, server.state.comment_json(comment)


def _label_names(body: Any) -> list[str]:
    data = body.get("labels") if isinstance(body, dict) else body
    if not isinstance(data, list):
        raise validation("Label", "labels", "invalid")
    return [str(item["name"] if isinstance(item, dict) else item) for item in data]


def set_labels(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    issue, state = _issue(server, params), server.state
    issue.labels = [state.ensure_label(n).name for n in dict.fromkeys(_label_names(body))]
    state.touch(issue)
    return 200, [state.label_json(state.ensure_label(n)) for n in issue.labels]


def add_labels(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    issue, state = _issue(server, params), server.state
    added = [state.ensure_label(n).name for n in _label_names(body)]
    issue.labels = list(dict.fromkeys([*issue.labels, *added]))
    state.touch(issue)
    return 200, [state.label_json(state.ensure_label(n)) for n in issue.labels]


def clear_labels(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    issue = _issue(server, params)
    issue.labels = []
    server.state.touch(issue)
    return 204, None


def list_labels(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    return 200, [server.state.label_json(label) for label in server.state.labels.values()]


def _label(server: GitHubServer, params: dict[str, str]) -> Any:
    label = server.state.labels.get(params["name"].lower())
    if label is None:
        raise ApiError(404, "Not Found")
    return label


def get_label(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    return 200, server.state.label_json(_label(server, params))


def create_label(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    data = _object(body)
    if not str(data.get("name") or "").strip():
        raise validation("Label", "name", "missing_field")
    color = str(data.get("color", "ededed")).lstrip("#")
    label = server.state.save_label(str(data["name"]), color, data.get("description"), current=None)
    return 201, server.state.label_json(label)


def update_label(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    label, data = _label(server, params), _object(body)
    name = str(data.get("new_name") or label.name)
    color = str(data.get("color", label.color)).lstrip("#")
    saved = server.state.save_label(name, color, data.get("description", label.description), current=label)
    return 200, server.state.label_json(saved)


def list_pulls(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    state, head = _arg(query, "state", "open"), _arg(query, "head", "")
    if state not in ("open", "closed", "all"):
        raise validation("PullRequest", "state", "invalid")
    pulls = [
        server.state.pull_json(issue)
        for issue in sorted(server.state.issues.values(), key=lambda i: i.number, reverse=True)
        if issue.pull is not None
        and state in ("all", issue.state)
        and (not head or head == f"{server.state.owner}:{issue.pull.head}")
    ]
    return 200, pulls


def create_pull(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    data, state = _object(body), server.state
    head, base = str(data.get("head", "")), str(data.get("base", ""))
    if head.rsplit(":", maxsplit=1)[-1] not in state.branches:
        raise validation("PullRequest", "head", "invalid")
    if base not in state.branches:
        raise validation("PullRequest", "base", "invalid")
    branch = head.rsplit(":", maxsplit=1)[-1]
    if any(i.pull and i.pull.head == branch and i.state == "open" for i in state.issues.values()):
        raise ApiError(422, "Validation Failed", [{"resource": "PullRequest", "code": "custom",
                       "message": f"A pull request already exists for {state.owner}:{branch}."}])  # fmt: skip
    pull = Pull(branch, base, bool(data.get("draft", False)))
    return 201, state.pull_json(state.create_issue(data.get("title"), data.get("body"), [], pull=pull))


def get_pull(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    return 200, server.state.pull_json(_issue(server, params, pull=True))


def update_pull(server: GitHubServer, params: dict[str, str], query: Query, body: Any) -> tuple[int, Any]:
    issue, data = _issue(server, params, pull=True), _object(body)
    if "state" in data:
        server.state.set_state(issue, str(data["state"]), None)
    for key in ("title", "body"):
        if key in data:
            setattr(issue, key, data[key])
    server.state.touch(issue)
    return 200, server.state.pull_json(issue)


_TABLE: list[tuple[str, str, Handler]] = [
    ("GET", "/repos/{owner}/{repo}", get_repo),
    ("GET", "/repos/{owner}/{repo}/issues", list_issues),
    ("POST", "/repos/{owner}/{repo}/issues", create_issue),
    ("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", get_comment),
    ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", update_comment),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}", get_issue),
    ("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", update_issue),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", list_comments),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", create_comment),
    ("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/labels", set_labels),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels", add_labels),
    ("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels", clear_labels),
    ("GET", "/repos/{owner}/{repo}/labels", list_labels),
    ("POST", "/repos/{owner}/{repo}/labels", create_label),
    ("GET", "/repos/{owner}/{repo}/labels/{name}", get_label),
    ("PATCH", "/repos/{owner}/{repo}/labels/{name}", update_label),
    ("GET", "/repos/{owner}/{repo}/pulls", list_pulls),
    ("POST", "/repos/{owner}/{repo}/pulls", create_pull),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", get_pull),
    ("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}", update_pull),
]


def _pattern(template: str) -> re.Pattern[str]:
    regex = re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m[1]}>[^/]+)", template)
    return re.compile(f"^{regex.replace('issue_number', 'number').replace('pull_number', 'number')}$")


ROUTES = [(method, template, _pattern(template), handler) for method, template, handler in _TABLE]
