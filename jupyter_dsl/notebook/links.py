"""The link between a notebook and its issue: link, unlink, status, the DSLP branch, and the project's
linked document."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import hints
from ..dslp.branches import branch_name
from ..dslp.issue_types import IssueType
from ..errors import DslError, InvalidInput, NotFound
from ..issues import ask_links
from ..issues.create import issue_with_ask, new_issue
from ..project import gitrepo
from ..project.settings import Project
from ..runs.inside_run import refuse_inside_run
from ..trackers import Issue, Tracker
from . import document
from .document import IssueRef, NotebookLink


def link_for(issue: Issue, previous: NotebookLink | None = None) -> NotebookLink:
    """The metadata a notebook linked to ``issue`` carries.

    Relinking the same issue keeps the previous link's status and branch: the branch recorded in
    the link is the notebook's branch, and a later change of the issue's title does not move it.
    """
    same = previous if previous is not None and previous.issue.number == issue.number else None
    return NotebookLink(
        issue=IssueRef(
            tracker=issue.tracker,
            number=issue.number,
            type=issue.type.value if issue.type else None,
            title=issue.title,
            url=issue.url,
        ),
        ask=issue.ask,
        branch=(same.branch if same else "") or branch_name(issue.type, issue.number, issue.title),
        status=same.status if same else "active",
        completed_at=same.completed_at if same else None,
        extra=same.extra if same else {},
    )


def previous_link(notebook: Path) -> NotebookLink | None:
    """The notebook's current link; a broken one counts as none (link and unlink replace it).

    Raises for a file that is not a valid notebook, before anything else happens.
    """
    node = document.read(notebook)
    try:
        return document.link_from_metadata(node.metadata, str(notebook))
    except InvalidInput:
        return None


def link(tracker: Tracker, notebook: Path, number: int) -> NotebookLink:
    """Link ``notebook`` to issue ``number``: only its ``metadata.jupyter_dsl`` changes, and the Ask
    the issue names lists the issue (``ask_links``)."""
    previous = previous_link(notebook)  # validates the file before we ask the tracker
    new = prepare_link(tracker, tracker.get(number), previous, notebook)
    document.set_link(notebook, new)
    return new


def prepare_link(
    tracker: Tracker, issue: Issue, previous: NotebookLink | None, notebook: Path | None = None
) -> NotebookLink:
    """The link to write for ``issue``, after checking the notebook can take it (``notebook``) and
    listing the issue in its Ask: the one tracker write a link makes, done before the notebook's."""
    refuse_inside_run("link notebooks")
    new = with_stable_id(tracker, link_for(issue, previous))
    if notebook is not None:
        document.set_link(notebook, new, write=False)
    ask_links.list_in_ask(tracker, issue)
    return new


def new_issue_and_link(
    tracker: Tracker,
    notebook: Path | None,
    issue_type: IssueType,
    title: str,
    *,
    ask: int | None = None,
    experiment: int | None = None,
    sections: dict[str, str] | None = None,
    variant: str | None = None,
    labels: tuple[str, ...] = (),
    write: bool = True,
) -> tuple[Issue, NotebookLink | None]:
    """Create an issue (see ``new_issue``) and link ``notebook`` to it (None: create only).

    The notebook and the link's edit are checked before the issue is created, so a bad notebook
    creates nothing. ``write=False`` returns the link without writing it (an editor applies it).
    """
    previous = None
    if notebook is not None:
        previous = previous_link(notebook)
        placeholder = IssueRef(tracker=tracker.kind, number=0, type=issue_type.value, title=title)
        document.set_link(notebook, NotebookLink(placeholder, ask, branch="-"), write=False)
    issue = new_issue(
        tracker,
        issue_type,
        title,
        ask=ask,
        experiment=experiment,
        sections=sections,
        variant=variant,
        labels=labels,
    )
    if notebook is None:
        return issue, None
    new = with_stable_id(tracker, link_for(issue, previous))
    if write:
        document.set_link(notebook, new)
    return issue, new


def unlink(notebook: Path) -> NotebookLink | None:
    """Remove the link (a broken one too); returns the valid link there was, if any."""
    previous = previous_link(notebook)
    document.remove_link(notebook)
    return previous


@dataclass(frozen=True)
class LinkStatus:
    path: str  # relative to the project root
    link: NotebookLink | None
    issue: Issue | None  # fresh from the tracker
    ask: Issue | None
    current_branch: str | None
    issue_error: str | None = None  # the tracker could not answer; the cached link still shows
    ask_number: int | None = None  # the Ask the issue names (None: none); ``ask`` None too: it is missing

    @property
    def expected_branch(self) -> str | None:
        """The notebook's branch: the one recorded in its link (a link without one: the issue's)."""
        if self.link is None:
            return None
        if self.link.branch:
            return self.link.branch
        if self.issue is not None:
            return branch_name(self.issue.type, self.issue.number, self.issue.title)
        return None

    @property
    def on_branch(self) -> bool:
        return self.expected_branch is not None and self.current_branch == self.expected_branch

    @property
    def ask_missing(self) -> bool:
        return self.ask_number is not None and self.ask is None and self.issue_error is None

    @property
    def branch_renamed(self) -> bool:
        """The issue's title changed since the link was made, so its title would name another branch;
        the notebook's branch keeps its recorded name."""
        if self.issue is None or self.expected_branch is None:
            return False
        return branch_name(self.issue.type, self.issue.number, self.issue.title) != self.expected_branch

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "link": self.link.to_json() if self.link else None,
            "issue": self.issue.to_json() if self.issue else None,
            "ask": self.ask.to_json() if self.ask else None,
            "ask_missing": self.ask_missing,
            "branch": {
                "current": self.current_branch,
                "expected": self.expected_branch,
                "matches": self.on_branch,
                "title_changed": self.branch_renamed,
            },
            "issue_error": self.issue_error,
        }


def with_stable_id(tracker: Tracker, link: NotebookLink) -> NotebookLink:
    """``link`` with the issue's stable id beside its number (trackers whose numbers a sync may change:
    the local tracker in git), so the link still finds the issue after renumbering."""
    find = getattr(tracker, "issue_id", None)
    found = find(link.issue.number) if callable(find) else None
    return replace(link, issue_id=found) if isinstance(found, str) else link


def current_number(tracker: Tracker, link: NotebookLink) -> int:
    """The linked issue's number now: found by its stable id when the link has one (a sync may have
    renumbered the issue), else the number the link names."""
    stable = link.issue_id
    find = getattr(tracker, "number_of", None)
    number = find(stable) if isinstance(stable, str) and callable(find) else None
    return number if isinstance(number, int) else link.issue.number


def status(project: Project, tracker: Tracker, notebook: Path) -> LinkStatus:
    """The notebook's link, refreshed from the tracker, and whether git is on its branch."""
    current = gitrepo.current_branch(project.root) if gitrepo.is_repo(project.root) else None
    cached = document.get_link(notebook)
    path = project.relative(notebook)
    if cached is None:
        return LinkStatus(path, None, None, None, current)
    try:
        found = issue_with_ask(tracker, current_number(tracker, cached), ask=cached.ask)
    except DslError as exc:
        return LinkStatus(path, cached, None, None, current, exc.message)
    return LinkStatus(path, cached, found.issue, found.ask, current, None, found.ask_number)


def switch_branch(
    project: Project, tracker: Tracker, notebook: Path, *, force: bool = False
) -> gitrepo.SwitchResult:
    """Create or switch to the notebook's DSLP branch: the one recorded in its link.

    A link without a recorded branch gets the issue's (an Ask or untyped issue: ``{n}-{slug}``).
    """
    refuse_inside_run("switch git branches")
    cached = document.get_link(notebook)
    if cached is None:
        raise NotFound(f"{notebook.name} is not linked to an issue", hint=hints.link_first(notebook))
    name = cached.branch
    if not name:
        issue = tracker.get(cached.issue.number)
        name = branch_name(issue.type, issue.number, issue.title)
    anyway = hints.action(hints.BRANCH, notebook=notebook, force=True)
    return gitrepo.switch(project.root, name, base=project.settings.branches.base, force=force, anyway=anyway)


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
            link = document.get_link(path)
        except DslError:
            continue  # a malformed notebook is reported when it is opened, not in a project overview
        if link is not None:
            found.append((path.relative_to(root).as_posix(), link))
    return found
