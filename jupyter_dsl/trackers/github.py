"""GitHub (and GitHub Enterprise) issues, labels and pull requests through the REST API v3.

``[tracker] kind = "github"``, ``repo = "owner/name"``, ``api_url`` for Enterprise
(``https://HOST/api/v3``). The token comes from ``GITHUB_TOKEN`` / ``GH_TOKEN`` or ``gh auth token``
and lives in this process only (see http.py for where it never goes).
"""

from __future__ import annotations

import builtins
import dataclasses
import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from .. import hints
from ..dslp.branches import parse_branch
from ..dslp.labels import LABELS_BY_NAME
from ..dslp.references import references_in
from ..dslp.templates import RELATED_PR
from ..errors import ConfigError, InvalidInput, NotFound, TrackerError
from ..project.settings import Project
from .base import CloseReason, Comment, Issue, IssueQuery, Label, PullRequest
from .forge_base import ForgeTracker
from .http import ForgeHttp, next_from_link
from .label_edits import LabelShortcuts, check_close_reason, missing_labels, planned_change

PUBLIC_API = "https://api.github.com"
AUTH_HINT = (
    "Set GITHUB_TOKEN (or GH_TOKEN) to a token with Issues and Pull requests read/write "
    "(a classic token: the repo scope), or log in with `gh auth login`."
)
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")
_PAGE = 100


def find_token(api_url: str = PUBLIC_API) -> str | None:
    """``GITHUB_TOKEN``, else ``GH_TOKEN``, else the GitHub CLI's login for the API's host."""
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    host = "github.com" if api_url.rstrip("/") == PUBLIC_API else httpx.URL(api_url).host
    try:
        out = subprocess.run(
            ["gh", "auth", "token", "--hostname", host],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    token = out.stdout.strip()
    return token if out.returncode == 0 and token else None


def web_url_of(api_url: str) -> str:
    """The web address that goes with an API root: github.com, or the Enterprise host."""
    api = api_url.rstrip("/")
    if api == PUBLIC_API:
        return "https://github.com"
    return api.removesuffix("/api/v3")


class GitHubTracker(ForgeTracker, LabelShortcuts):
    """Issues of one repository. Pull requests (which the issues endpoint also returns) are never issues."""

    kind = "github"

    def __init__(
        self,
        repo: str,
        *,
        token: str | None,
        api_url: str = "",
        cache_dir: Path | None = None,
        timeout: float = 30.0,
        rate_limit_wait: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        if not _REPO.match(repo):
            raise ConfigError(f"[tracker] repo must be 'owner/name', got {repo!r}")
        self.repo = repo
        api = (api_url or PUBLIC_API).rstrip("/")
        self.web_url = web_url_of(api)
        self.http = ForgeHttp(
            api,
            token,
            name="GitHub",
            timeout=timeout,
            cache_dir=cache_dir,
            headers={"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"},
            next_url=next_from_link,
            rate_limit_wait=rate_limit_wait,
            retries=retries,
            backoff=backoff,
            token_hint=AUTH_HINT,
        )
        self._base = f"/repos/{repo}"

    @classmethod
    def from_project(cls, project: Project) -> GitHubTracker:
        settings = project.settings.tracker
        api = settings.api_url or PUBLIC_API
        return cls(
            settings.repo,
            token=find_token(api),
            api_url=api,
            cache_dir=project.state_dir / "forge-cache" / "github",
            timeout=settings.timeout,
            rate_limit_wait=settings.rate_limit_wait,
        )

    def __repr__(self) -> str:
        return f"GitHubTracker({self.repo!r}, api_url={self.http.base_url!r})"

    def url_of(self, number: int) -> str:
        return f"{self.web_url}/{self.repo}/issues/{number}"

    def raw_url(self, path: str, ref: str) -> str:
        return f"{self.web_url}/{self.repo}/raw/{quote(ref, safe='/')}/{quote(path, safe='/')}"

    # -- reading -------------------------------------------------------------------------------

    def _issue_data(self, number: int, *, for_change: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = self.http.get(
            f"{self._base}/issues/{number}",
            what=f"issue #{number} in {self.repo}",
            allow_offline=not for_change,
        )
        if "pull_request" in data:
            raise NotFound(
                f"#{number} in {self.repo} is a pull request, not an issue",
                hint=hints.list_all_issues(),
            )
        return data

    def get(self, number: int) -> Issue:
        return _issue(self._issue_data(number))

    def list(self, query: IssueQuery) -> builtins.list[Issue]:
        labels = [_label_name(n) for n in query.labels] + ([query.type.value] if query.type else [])
        params: dict[str, str | int] = {"state": query.state, "per_page": _PAGE}
        if labels:
            params["labels"] = ",".join(dict.fromkeys(labels))
        return self.http.get_all_as(
            f"{self._base}/issues", _issue_only, params, what=f"the issues of {self.repo}"
        )

    def comments(self, number: int) -> builtins.list[Comment]:
        self._issue_data(number)
        items = self.http.get_all(
            f"{self._base}/issues/{number}/comments",
            {"per_page": _PAGE},
            what=f"the comments of issue #{number}",
        )
        return [_comment(number, item) for item in items]

    def labels(self) -> builtins.list[Label]:
        items = self.http.get_all(
            f"{self._base}/labels", {"per_page": _PAGE}, what=f"the labels of {self.repo}"
        )
        return [Label(item["name"], item.get("color") or "", item.get("description") or "") for item in items]

    def pull_reference(self, pull: int) -> str:
        return f"#{pull}"  # GitHub numbers pull requests with the issues

    def pull_request(self, number: int) -> PullRequest | None:
        """The PR on the issue's Related PR line, else an open PR from the issue's DSLP branch."""
        issue = self.get(number)
        related = references_in(issue.body).get(RELATED_PR)
        if related is not None:
            try:
                return _pull(self.http.get(f"{self._base}/pulls/{related}", what=f"pull request #{related}"))
            except NotFound:
                pass  # the line names an issue, or a PR since deleted: look for the branch instead
        pulls = self.http.get_all(
            f"{self._base}/pulls",
            {"state": "open", "per_page": _PAGE},
            what=f"the pull requests of {self.repo}",
        )
        for pull in pulls:
            branch = parse_branch(str(pull.get("head", {}).get("ref", "")))
            if branch is not None and branch.number == number and branch.type in (None, issue.type):
                return _pull(pull)
        return None

    # -- writing -------------------------------------------------------------------------------

    def create(self, title: str, body: str, labels: Sequence[str]) -> Issue:
        if not title.strip():
            raise InvalidInput("an issue needs a title")
        names = list(dict.fromkeys(_label_name(n) for n in labels))
        data = self.http.write(
            "POST",
            f"{self._base}/issues",
            {"title": title.strip(), "body": body, "labels": names},
            what=f"a new issue in {self.repo}",
        )
        return _issue(data)

    def comment(self, number: int, body: str) -> Comment:
        if not body.strip():
            raise InvalidInput("a comment needs text")
        self._issue_data(number, for_change=True)
        data = self.http.write(
            "POST",
            f"{self._base}/issues/{number}/comments",
            {"body": body},
            what=f"a comment on issue #{number}",
        )
        return _comment(number, data)

    def edit_comment(self, number: int, comment_id: int, body: str) -> Comment:
        if not body.strip():
            raise InvalidInput("a comment needs text")
        path = f"{self._base}/issues/comments/{comment_id}"
        current = self.http.get(path, what=f"comment {comment_id}", allow_offline=False)
        if not str(current.get("issue_url", "")).endswith(f"/issues/{number}"):
            raise NotFound(f"issue #{number} has no comment {comment_id}")
        return _comment(number, self.http.write("PATCH", path, {"body": body}, what=f"comment {comment_id}"))

    def edit(self, number: int, *, title: str | None = None, body: str | None = None) -> Issue:
        change: dict[str, str] = {}
        if title is not None:
            if not title.strip():
                raise InvalidInput("an issue title cannot be empty")
            change["title"] = title.strip()
        if body is not None:
            change["body"] = body
        current = self._issue_data(number, for_change=True)
        if not change:
            return _issue(current)
        return self._patch(number, change)

    def _patch(self, number: int, change: dict[str, Any]) -> Issue:
        """One PATCH of full values: safe to repeat, so retried after a 5xx or a timeout."""
        data = self.http.write("PATCH", f"{self._base}/issues/{number}", change, what=f"issue #{number}")
        return _issue(data)

    def update_labels(self, number: int, *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Issue:
        """Checks first (every label to remove is on the issue), then sets the final label set in one
        request, so the change is all or nothing."""
        adding, removing = planned_change(add, remove, _label_name, str.lower)
        issue = _issue(self._issue_data(number, for_change=True))
        present = {n.lower() for n in issue.labels}
        missing = [n for n in removing if n.lower() not in present]
        if missing:
            raise missing_labels(number, missing)
        gone = {n.lower() for n in removing}
        final = [n for n in issue.labels if n.lower() not in gone]
        final += [n for n in adding if n.lower() not in {f.lower() for f in final}]
        if final == list(issue.labels):
            return issue
        path, what = f"{self._base}/issues/{number}/labels", f"the labels of issue #{number}"
        if final:
            result = self.http.write("PUT", path, {"labels": final}, what=what)
            final = [item["name"] if isinstance(item, dict) else str(item) for item in result]
        else:  # GitHub's PUT wants at least one label; DELETE clears them
            self.http.write("DELETE", path, what=what)
        return dataclasses.replace(issue, labels=tuple(final))

    def close(self, number: int, reason: CloseReason = "completed") -> Issue:
        check_close_reason(reason)
        self._issue_data(number, for_change=True)
        return self._patch(number, {"state": "closed", "state_reason": reason})

    def reopen(self, number: int) -> Issue:
        self._issue_data(number, for_change=True)
        return self._patch(number, {"state": "open"})

    def open_pull_request(
        self, *, head: str, base: str, title: str, body: str, draft: bool = False
    ) -> PullRequest:
        if not title.strip():
            raise InvalidInput("a pull request needs a title")
        data = self.http.write(
            "POST",
            f"{self._base}/pulls",
            {"title": title.strip(), "head": head, "base": base, "body": body, "draft": draft},
            what=f"a pull request from {head} into {base}",
        )
        return _pull(data)

    def close_pull_request(self, pull: int) -> PullRequest:
        data = self.http.write(
            "PATCH", f"{self._base}/pulls/{pull}", {"state": "closed"}, what=f"pull request #{pull}"
        )
        return _pull(data)

    def save_label(self, label: Label, *, exists: bool) -> None:
        color = label.color.lstrip("#")
        if not _COLOR.match(color):
            raise InvalidInput(f"label {label.name!r}: colour {label.color!r} is not 6 hex digits")
        fields = {"color": color, "description": label.description}
        if exists:
            path = f"{self._base}/labels/{quote(label.name, safe='')}"
            self.http.write("PATCH", path, fields, what=f"label {label.name!r}")
        else:
            self.http.write(
                "POST", f"{self._base}/labels", {"name": label.name, **fields}, what=f"label {label.name!r}"
            )


def _label_name(name: str) -> str:
    """Labels are free text; a DSLP label given in another case gets its exact case."""
    clean = name.strip()
    if not clean:
        raise InvalidInput("a label cannot be empty")
    return next((known for known in LABELS_BY_NAME if known.lower() == clean.lower()), clean)


def _issue(data: dict[str, Any]) -> Issue:
    labels = tuple(item["name"] if isinstance(item, dict) else str(item) for item in data.get("labels", []))
    user = data.get("user") or {}
    return Issue(
        tracker="github",
        number=int(data["number"]),
        title=data.get("title") or "",
        body=data.get("body") or "",
        state="closed" if data.get("state") == "closed" else "open",
        labels=labels,
        url=data.get("html_url") or "",
        state_reason=data.get("state_reason"),
        created_at=data.get("created_at") or "",
        updated_at=data.get("updated_at") or "",
        closed_at=data.get("closed_at"),
        author=user.get("login", ""),
        comments=int(data.get("comments") or 0),
    )


def _issue_only(data: dict[str, Any]) -> Issue | None:
    """An issue of a listing; None for a pull request (the issues endpoint returns those too)."""
    return None if "pull_request" in data else _issue(data)


def _comment(number: int, data: dict[str, Any]) -> Comment:
    user = data.get("user") or {}
    return Comment(
        id=int(data["id"]),
        issue=number,
        body=data.get("body") or "",
        author=user.get("login", ""),
        created_at=data.get("created_at") or "",
        url=data.get("html_url") or "",
    )


def _pull(data: dict[str, Any]) -> PullRequest:
    if not isinstance(data, dict) or "number" not in data:
        raise TrackerError("GitHub answered a pull request request with something else")
    return PullRequest(
        number=int(data["number"]),
        state="closed" if data.get("state") == "closed" else "open",
        merged=bool(data.get("merged") or data.get("merged_at")),
        url=data.get("html_url") or "",
    )
