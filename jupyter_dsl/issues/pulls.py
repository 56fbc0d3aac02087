"""`pr`: push a notebook's DSLP branch and open its pull (merge) request on the forge.

Everything is checked before the push (the notebook is linked, the tracker has pull requests, git is
on its branch, the remote exists); an open pull request of the issue is reused, so running it again
only pushes new commits. The request says ``Closes #N`` for Data, Experiment and Model work (merged)
and ``Related to #N`` for an Explore (closed unmerged) or an Ask; the issue's Related PR line names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import hints
from ..dslp.branches import branch_name
from ..dslp.issue_types import IssueType
from ..dslp.templates import RELATED_PR
from ..errors import Conflict, InvalidInput, NotFound
from ..notebook import document
from ..project import gitrepo
from ..project.settings import Project
from ..runs.inside_run import refuse_inside_run
from ..trackers import Issue, PullRequest, PullRequests, Tracker, require_pull_requests

CLOSES = (IssueType.DATA, IssueType.EXPERIMENT, IssueType.MODEL)
_RELATED_LINE = re.compile(rf"^(?P<marker>[ \t]*{re.escape(RELATED_PR)})(?P<value>[^\r\n]*)$", re.MULTILINE)


@dataclass(frozen=True)
class PullResult:
    issue: Issue
    pull: PullRequest
    reference: str  # how the issue names the pull request on its forge: "#7", or "!7" on GitLab
    branch: str
    remote: str
    created: bool  # False: an open pull request of the issue was reused

    def to_json(self) -> dict[str, Any]:
        return {
            "issue": self.issue.number,
            "pull": {
                "number": self.pull.number,
                "state": self.pull.state,
                "url": self.pull.url,
                "reference": self.reference,
            },
            "branch": self.branch,
            "remote": self.remote,
            "created": self.created,
        }


def pull_body(issue: Issue) -> str:
    keyword = "Closes" if issue.type in CLOSES else "Related to"
    return f"{keyword} #{issue.number}\n"


def with_related_pr(body: str, reference: str) -> str:
    """The body with its Related PR line naming ``reference`` (a line is added at the end when the
    body has none); every other byte stays."""
    match = _RELATED_LINE.search(body)
    if match is None:
        ending = "" if not body or body.endswith("\n") else "\n"
        return f"{body}{ending}\n{RELATED_PR} {reference}\n"
    return body[: match.start("value")] + f" {reference}" + body[match.end("value") :]


def _check(project: Project, tracker: Tracker, notebook: Path) -> tuple[Issue, PullRequests, str, str]:
    link = document.get_link(notebook)
    if link is None:
        raise NotFound(f"{notebook.name} is not linked to an issue", hint=hints.link_first(notebook))
    forge = require_pull_requests(tracker)
    issue = tracker.get(link.issue.number)
    branch = link.branch or branch_name(issue.type, issue.number, issue.title)
    root = project.root
    if not gitrepo.is_repo(root):
        raise InvalidInput(f"{root} is not a git repository: there is no branch to push")
    current = gitrepo.current_branch(root)
    if current != branch:
        raise Conflict(
            f"git is on {current or 'a detached HEAD'}, not on {branch}, the branch of #{issue.number}",
            hint=hints.hint(
                "Nothing was pushed; switch to its branch first.", hints.BRANCH, notebook=notebook
            ),
        )
    remote = project.settings.branches.remote
    if gitrepo.git(root, "remote", "get-url", "--", remote, check=False).returncode != 0:
        raise NotFound(
            f"the git remote {remote!r} does not exist; nothing was pushed",
            hint=f"Add it (`git remote add {remote} URL`) or name another in dsl.toml: [branches] remote.",
        )
    return issue, forge, branch, remote


def open_pull(project: Project, tracker: Tracker, notebook: Path, *, draft: bool = False) -> PullResult:
    """Push the notebook's branch to ``[branches] remote`` and open (or reuse) its pull request."""
    refuse_inside_run("push branches or open pull requests")
    issue, forge, branch, remote = _check(project, tracker, notebook)
    existing = forge.pull_request(issue.number)
    try:
        gitrepo.push(project.root, remote, branch)
    except gitrepo.GitError as exc:
        raise gitrepo.GitError(
            exc.message, hint="No pull request was opened; fix what git says, then open it again."
        ) from exc
    created = existing is None or existing.state != "open"
    if existing is not None and existing.state == "open":
        pull = existing
    else:
        pull = forge.open_pull_request(
            head=branch,
            base=project.settings.branches.base,
            title=issue.title,
            body=pull_body(issue),
            draft=draft,
        )
    reference = forge.pull_reference(pull.number)
    body = with_related_pr(issue.body, reference)
    if body != issue.body:
        issue = tracker.edit(issue.number, body=body)
    return PullResult(issue, pull, reference, branch, remote, created)
