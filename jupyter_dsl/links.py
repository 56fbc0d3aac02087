"""The link between a notebook and its issue: link, unlink, status, the DSLP branch, and the project's
linked notebooks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import gitrepo, notebooks
from .errors import DslError, InvalidInput, NotFound
from .lifecycle import branch_name
from .notebooks import IssueRef, NotebookLink
from .project import Project
from .trackers import Issue, Tracker


def link_for(issue: Issue, previous: NotebookLink | None = None) -> NotebookLink:
    """The metadata a notebook linked to ``issue`` carries (keeps a previous link's status if same issue)."""
    same = previous is not None and previous.issue.number == issue.number
    return NotebookLink(
        issue=IssueRef(
            tracker=issue.tracker,
            number=issue.number,
            type=issue.type.value if issue.type else None,
            title=issue.title,
            url=issue.url,
        ),
        ask=issue.ask,
        branch=branch_name(issue.type, issue.number, issue.title),
        status=previous.status if same and previous else "active",
        completed_at=previous.completed_at if same and previous else None,
        extra=previous.extra if same and previous else {},
    )


def _previous_link(notebook: Path) -> NotebookLink | None:
    """The notebook's current link; a broken one counts as none (link and unlink replace it).

    Raises for a file that is not a valid notebook, before anything else happens.
    """
    node = notebooks.read(notebook)
    try:
        return notebooks.link_from_metadata(node.metadata, str(notebook))
    except InvalidInput:
        return None


def link(tracker: Tracker, notebook: Path, number: int) -> NotebookLink:
    """Link ``notebook`` to issue ``number``: only its ``metadata.jupyter_dsl`` changes."""
    previous = _previous_link(notebook)  # validates the file before we ask the tracker
    new = link_for(tracker.get(number), previous)
    notebooks.set_link(notebook, new)
    return new


def unlink(notebook: Path) -> NotebookLink | None:
    """Remove the link (a broken one too); returns the valid link there was, if any."""
    previous = _previous_link(notebook)
    notebooks.remove_link(notebook)
    return previous


@dataclass(frozen=True)
class LinkStatus:
    path: str  # relative to the project root
    link: NotebookLink | None
    issue: Issue | None  # fresh from the tracker
    ask: Issue | None
    current_branch: str | None
    issue_error: str | None = None  # the tracker could not answer; the cached link still shows

    @property
    def expected_branch(self) -> str | None:
        if self.link is None:
            return None
        if self.issue is not None:
            return branch_name(self.issue.type, self.issue.number, self.issue.title)
        return self.link.branch or None

    @property
    def on_branch(self) -> bool:
        return self.expected_branch is not None and self.current_branch == self.expected_branch

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "link": self.link.to_json() if self.link else None,
            "issue": self.issue.to_json() if self.issue else None,
            "ask": self.ask.to_json() if self.ask else None,
            "branch": {
                "current": self.current_branch,
                "expected": self.expected_branch,
                "matches": self.on_branch,
            },
            "issue_error": self.issue_error,
        }


def status(project: Project, tracker: Tracker, notebook: Path) -> LinkStatus:
    """The notebook's link, refreshed from the tracker, and whether git is on its branch."""
    current = gitrepo.current_branch(project.root) if gitrepo.is_repo(project.root) else None
    cached = notebooks.get_link(notebook)
    issue = ask = None
    error = None
    if cached is not None:
        try:
            issue = tracker.get(cached.issue.number)
            ask_number = issue.ask if issue.ask is not None else cached.ask
            ask = tracker.get(ask_number) if ask_number is not None else None
        except DslError as exc:
            error = exc.message
    return LinkStatus(project.relative(notebook), cached, issue, ask, current, error)


def switch_branch(
    project: Project, tracker: Tracker, notebook: Path, *, force: bool = False
) -> gitrepo.SwitchResult:
    """Create or switch to the DSLP branch of the notebook's issue."""
    cached = notebooks.get_link(notebook)
    if cached is None:
        raise NotFound(
            f"{notebook.name} is not linked to an issue", hint="Link it first: `jupyter dsl link NOTEBOOK N`."
        )
    issue = tracker.get(cached.issue.number)  # an Ask (or untyped issue) gets a feature branch `{n}-{slug}`
    name = branch_name(issue.type, issue.number, issue.title)
    return gitrepo.switch(project.root, name, base=project.settings.branches.base, force=force)


# -- the project's notebooks and their links ---------------------------------------------------

SKIPPED_DIRS = {".git", ".dsl", ".ipynb_checkpoints", "node_modules", "__pycache__", ".venv", "venv"}


def project_notebooks(root: Path) -> Iterator[Path]:
    """Every ``.ipynb`` under ``root``, skipping hidden folders, checkpoints and the state dir."""
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".ipynb"):
                yield Path(directory) / name


def linked_notebooks(root: Path) -> list[tuple[str, NotebookLink]]:
    """(POSIX path relative to root, link) for each linked notebook; unreadable notebooks are skipped."""
    found: list[tuple[str, NotebookLink]] = []
    for path in project_notebooks(root):
        try:
            link = notebooks.get_link(path)
        except DslError:
            continue  # a malformed notebook is reported when it is opened, not in a project overview
        if link is not None:
            found.append((path.relative_to(root).as_posix(), link))
    return found
