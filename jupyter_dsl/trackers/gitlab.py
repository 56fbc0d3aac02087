"""The GitLab tracker: issues, notes, labels and merge requests of one project over the REST API v4.

``[tracker] kind = "gitlab"``, ``project = "group/name"`` (or its numeric id), ``api_url`` for a
self-managed instance. The token comes from ``GITLAB_TOKEN`` or ``glab``'s login (gitlab_auth.py) and
needs the ``api`` scope. Issue numbers are GitLab ``iid``s. GitLab has no close reason: closing as
``not_planned`` closes the issue and adds the note "Closed as not planned".

Every change is validated first (the issue exists, the labels to remove are on it, ...) and then made
in one request, except ``close(not_planned)``: the close, then its note (re-running it adds a missing
note and never a second one).
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import __version__, hints
from ..dslp.branches import parse_branch
from ..dslp.labels import LABELS_BY_NAME
from ..errors import Conflict, InvalidInput, NotFound, TrackerError
from .base import CloseReason, Comment, Issue, IssueQuery, Label, PullRequest
from .forge_base import ForgeTracker
from .gitlab_auth import ACCESS_HINT, gitlab_token
from .gitlab_json import (
    NOT_PLANNED_NOTE,
    api_base,
    comment_of,
    draft_title,
    issue_of,
    label_name,
    label_of,
    project_id,
    pull_of,
    related_merge_request,
    to_gitlab_color,
    web_root,
)
from .http import ForgeHttp, next_from_x_next_page
from .label_edits import LabelShortcuts, check_close_reason, missing_labels, planned_change

if TYPE_CHECKING:
    from ..project.settings import Project

_PAGE = {"per_page": 100}


class GitLabTracker(ForgeTracker, LabelShortcuts):
    """Issues of the GitLab project ``project`` (``group/name`` or numeric id) at ``api_url``."""

    kind = "gitlab"

    def __init__(
        self,
        project: str,
        *,
        token: str | None,
        api_url: str = "",
        timeout: float = 30.0,
        cache_dir: Path | None = None,
        rate_limit_wait: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self.project = project.strip().strip("/")
        self._id = project_id(self.project)
        self.api_url = api_base(api_url)
        self._web_url = "" if self.project.isdigit() else f"{web_root(api_url)}/{self.project}"
        self.http = ForgeHttp(
            self.api_url,
            token,
            name="GitLab",
            timeout=timeout,
            cache_dir=cache_dir,
            user_agent=f"jupyter-dsl/{__version__}",
            auth_header="PRIVATE-TOKEN",
            auth_prefix="",
            next_url=next_from_x_next_page,
            rate_limit_wait=rate_limit_wait,
            retries=retries,
            backoff=backoff,
            token_hint=ACCESS_HINT,
        )

    @classmethod
    def from_project(cls, project: Project) -> GitLabTracker:
        """The tracker ``dsl.toml`` describes; its responses are cached under ``.dsl/forge-cache/gitlab``."""
        settings = project.settings.tracker
        return cls(
            settings.project or settings.repo,
            token=gitlab_token(api_base(settings.api_url)),
            api_url=settings.api_url,
            timeout=settings.timeout,
            cache_dir=project.state_dir / "forge-cache" / "gitlab",
            rate_limit_wait=settings.rate_limit_wait,
        )

    def __repr__(self) -> str:
        return f"GitLabTracker({self.project!r}, api_url={self.api_url!r})"

    # -- paths and errors ----------------------------------------------------------------------

    def _path(self, *parts: str | int) -> str:
        return "/".join(["projects", self._id, *(quote(str(p), safe="") for p in parts)])

    def _project_missing(self, exc: NotFound) -> NotFound:
        """A 404 means the issue is missing, or the whole project is (or hidden from the token)."""
        try:
            self.http.get(self._path(), what=f"project {self.project}")
        except NotFound:
            return NotFound(
                f"GitLab has no project {self.project!r} at {self.api_url} (or the token cannot see it)",
                hint="Check [tracker] project (and api_url) in dsl.toml, and that the token's user is a "
                "member of the project.",
            )
        return exc

    def _issue_missing(self, number: int, exc: NotFound) -> NotFound:
        found = self._project_missing(exc)
        if found is not exc:
            return found
        return NotFound(
            f"issue #{number} does not exist in GitLab project {self.project}",
            hint=hints.list_all_issues(),
        )

    def _write(self, method: str, path: str, body: dict[str, Any], *, what: str, idempotent: bool) -> Any:
        try:
            return self.http.write(method, path, body, what=what, idempotent=idempotent)
        except TrackerError as exc:
            if exc.status == 409:
                raise Conflict(exc.message, hint="Nothing was changed.") from None
            if exc.status == 403 and "insufficient_scope" in exc.message:
                raise TrackerError(
                    f"GitLab refused {what}: the token lacks the `api` scope (it may only read)",
                    status=403,
                    hint=ACCESS_HINT,
                ) from None
            if (
                exc.status == 400
            ):  # GitLab's validation errors (``{"message": {field: [...]}}``, ``{"error"}``)
                raise TrackerError(
                    exc.message.replace("answered 400 for", "rejected", 1),
                    status=400,
                    hint="Nothing was changed: correct what GitLab names and try again.",
                ) from None
            raise

    # -- issues --------------------------------------------------------------------------------

    def get(self, number: int) -> Issue:
        try:
            return issue_of(self.http.get(self._path("issues", number), what=f"issue #{number}"))
        except NotFound as exc:
            raise self._issue_missing(number, exc) from None

    def list(self, query: IssueQuery) -> list[Issue]:
        state = {"open": "opened", "closed": "closed", "all": "all"}[query.state]
        wanted = [_dslp(n) for n in query.labels] + ([query.type.value] if query.type else [])
        params: dict[str, str | int] = {"state": state, "order_by": "created_at", "sort": "desc", **_PAGE}
        if wanted:
            params["labels"] = ",".join(dict.fromkeys(wanted))
        try:
            found = self.http.get_all(self._path("issues"), params, what="the issues")
        except NotFound as exc:
            raise self._project_missing(exc) from None
        return sorted((issue_of(item) for item in found), key=lambda issue: issue.number, reverse=True)

    def create(self, title: str, body: str, labels: Sequence[str]) -> Issue:
        if not title.strip():
            raise InvalidInput("an issue needs a title")
        names = list(dict.fromkeys(_dslp(n) for n in labels))
        payload = {"title": title.strip(), "description": body, "labels": ",".join(names)}
        try:
            created = self._write("POST", self._path("issues"), payload, what="a new issue", idempotent=False)
        except NotFound as exc:
            raise self._project_missing(exc) from None
        return issue_of(created)

    def edit(self, number: int, *, title: str | None = None, body: str | None = None) -> Issue:
        payload: dict[str, Any] = {}
        if title is not None:
            if not title.strip():
                raise InvalidInput("an issue title cannot be empty")
            payload["title"] = title.strip()
        if body is not None:
            payload["description"] = body
        if not payload:
            return self.get(number)
        return self._put_issue(number, payload, f"issue #{number}")

    def _put_issue(self, number: int, payload: dict[str, Any], what: str) -> Issue:
        """One PUT of whole values (title, description, label sets, state): safe to repeat."""
        try:
            return issue_of(
                self._write("PUT", self._path("issues", number), payload, what=what, idempotent=True)
            )
        except NotFound as exc:
            raise self._issue_missing(number, exc) from None

    def update_labels(self, number: int, *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Issue:
        adding, removing = planned_change(add, remove, _dslp)
        issue = self.get(number)
        missing = [n for n in removing if n not in issue.labels]
        if missing:
            raise missing_labels(number, missing)
        adding = [n for n in adding if n not in issue.labels]
        if not adding and not removing:
            return issue
        payload = {k: ",".join(v) for k, v in (("add_labels", adding), ("remove_labels", removing)) if v}
        return self._put_issue(number, payload, f"the labels of issue #{number}")

    def close(self, number: int, reason: CloseReason = "completed") -> Issue:
        check_close_reason(reason)
        issue = self.get(number)
        if issue.state == "open":
            issue = self._put_issue(number, {"state_event": "close"}, f"closing issue #{number}")
        elif reason == "not_planned" and any(c.body == NOT_PLANNED_NOTE for c in self.comments(number)):
            return replace(issue, state_reason=reason)
        if reason == "not_planned":
            try:
                self.comment(number, NOT_PLANNED_NOTE)
            except TrackerError as exc:
                raise TrackerError(
                    f"issue #{number} was closed, but its note {NOT_PLANNED_NOTE!r} was not added: "
                    + exc.message,
                    status=exc.status,
                    hint="Close it as not planned again to add the note.",
                ) from None
            issue = replace(issue, comments=issue.comments + 1)
        return replace(issue, state_reason=reason)

    def reopen(self, number: int) -> Issue:
        return self._put_issue(number, {"state_event": "reopen"}, f"reopening issue #{number}")

    def _web(self) -> str:
        if not self._web_url:  # a numeric project id: GitLab names the web address
            project = self.http.get(self._path(), what=f"project {self.project}")
            self._web_url = str(project.get("web_url") or "").rstrip("/")
        return self._web_url

    def url_of(self, number: int) -> str:
        return f"{self._web()}/-/issues/{number}"

    def raw_url(self, path: str, ref: str) -> str:
        return f"{self._web()}/-/raw/{quote(ref, safe='/')}/{quote(path, safe='/')}"

    # -- notes ---------------------------------------------------------------------------------

    def comments(self, number: int) -> builtins.list[Comment]:
        """The users' notes, oldest first (GitLab's system notes, "closed", "added ~Ask", are left out)."""
        params: dict[str, str | int] = {"order_by": "created_at", "sort": "asc", **_PAGE}
        try:
            path = self._path("issues", number, "notes")
            notes = self.http.get_all(path, params, what=f"the notes of issue #{number}")
        except NotFound as exc:
            raise self._issue_missing(number, exc) from None
        url = self.url_of(number) if self._web_url else ""
        return [comment_of(n, number, url) for n in notes if not n.get("system")]

    def comment(self, number: int, body: str) -> Comment:
        if not body.strip():
            raise InvalidInput("a comment needs text")
        path = self._path("issues", number, "notes")
        try:  # a POST is never repeated: a retry could post the note twice
            note = self._write(
                "POST", path, {"body": body}, what=f"a note on issue #{number}", idempotent=False
            )
        except NotFound as exc:
            raise self._issue_missing(number, exc) from None
        return comment_of(note, number, self.url_of(number) if self._web_url else "")

    def edit_comment(self, number: int, comment_id: int, body: str) -> Comment:
        if not body.strip():
            raise InvalidInput("a comment needs text")
        path = self._path("issues", number, "notes", comment_id)
        what = f"note {comment_id} of issue #{number}"
        try:
            note = self._write("PUT", path, {"body": body}, what=what, idempotent=True)
        except NotFound:
            self.get(number)  # NotFound for the issue itself when it is the issue that is missing
            raise NotFound(f"issue #{number} has no comment {comment_id}") from None
        return comment_of(note, number, self.url_of(number) if self._web_url else "")

    # -- merge requests ------------------------------------------------------------------------

    def pull_reference(self, pull: int) -> str:
        return f"!{pull}"  # a merge request; "#7" would be issue 7

    def pull_request(self, number: int) -> PullRequest | None:
        issue = self.get(number)
        related = related_merge_request(issue.body)
        if related is not None:
            try:
                path = self._path("merge_requests", related)
                return pull_of(self.http.get(path, what=f"merge request !{related}"))
            except NotFound:
                pass  # a stale Related PR line: look for the branch's merge request instead
        prefix = issue.type.branch_prefix if issue.type else None
        params: dict[str, str | int] = {"state": "opened", **_PAGE}
        for mr in self.http.get_all(self._path("merge_requests"), params, what="the open merge requests"):
            branch = parse_branch(str(mr.get("source_branch") or ""))
            if (
                branch
                and branch.number == number
                and (branch.type.branch_prefix if branch.type else None) == prefix
            ):
                return pull_of(mr)
        return None

    def open_pull_request(
        self, *, head: str, base: str, title: str, body: str, draft: bool = False
    ) -> PullRequest:
        if not head.strip() or not base.strip():
            raise InvalidInput("a merge request needs a source and a target branch")
        if head.strip() == base.strip():
            raise InvalidInput(f"a merge request cannot merge {head!r} into itself")
        if not title.strip():
            raise InvalidInput("a merge request needs a title")
        payload = {
            "source_branch": head.strip(),
            "target_branch": base.strip(),
            "title": draft_title(title.strip(), draft),
            "description": body,
        }
        what = f"a merge request from {head} into {base}"
        return pull_of(
            self._write("POST", self._path("merge_requests"), payload, what=what, idempotent=False)
        )

    def close_pull_request(self, pull: int) -> PullRequest:
        try:
            current = pull_of(
                self.http.get(self._path("merge_requests", pull), what=f"merge request !{pull}")
            )
        except NotFound:
            raise NotFound(f"GitLab project {self.project} has no merge request !{pull}") from None
        if current.merged:
            raise Conflict(f"merge request !{pull} is already merged; it cannot be closed unmerged")
        if current.state == "closed":
            return current
        path = self._path("merge_requests", pull)
        body = {"state_event": "close"}
        return pull_of(self._write("PUT", path, body, what=f"closing merge request !{pull}", idempotent=True))

    # -- labels --------------------------------------------------------------------------------

    def labels(self) -> builtins.list[Label]:
        try:
            found = self.http.get_all(self._path("labels"), dict(_PAGE), what="the labels")
        except NotFound as exc:
            raise self._project_missing(exc) from None
        return [label_of(item) for item in found]

    def save_label(self, label: Label, *, exists: bool) -> None:
        name = label_name(label.name)
        color = to_gitlab_color(label.color)
        if exists:
            payload = {"color": color, "description": label.description}
            self._write("PUT", self._path("labels", name), payload, what=f"label {name!r}", idempotent=True)
        else:
            payload = {"name": name, "color": color, "description": label.description}
            self._write("POST", self._path("labels"), payload, what=f"new label {name!r}", idempotent=False)


def _dslp(name: str) -> str:
    """A label, with a DSLP label given in another case written in its exact case (as local does)."""
    clean = label_name(name)
    return next((known for known in LABELS_BY_NAME if known.lower() == clean.lower()), clean)
