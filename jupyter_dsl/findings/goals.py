"""An Explore issue's Goals: the ``- [ ]`` checklist of questions the exploration answers."""

from __future__ import annotations

from pathlib import Path

from .. import hints
from ..dslp import checklists
from ..dslp.issue_types import IssueType
from ..errors import InvalidInput, NotFound
from ..notebook import document
from ..runs.inside_run import refuse_inside_run
from ..trackers import Issue, Tracker
from .summary import GOALS


def _explore(tracker: Tracker, notebook: Path) -> Issue:
    link = document.get_link(notebook)
    if link is None:
        raise NotFound(
            f"{notebook.name} is not linked to an issue", hint=hints.link_first(notebook, "its Explore issue")
        )
    issue = tracker.get(link.issue.number)
    if issue.type is not IssueType.EXPLORE:
        kind = issue.type.value if issue.type else "an untyped"
        raise InvalidInput(f"#{issue.number} is {kind} issue: goals belong to Explore issues")
    return issue


def add_goal(tracker: Tracker, notebook: Path, question: str) -> Issue:
    """Add ``- [ ] question`` to the Goals of the notebook's Explore issue."""
    refuse_inside_run("change the tracker")
    issue = _explore(tracker, notebook)
    return tracker.edit(issue.number, body=checklists.add_item(issue.body, GOALS, question))


def tick_goal(tracker: Tracker, notebook: Path, number: int, done: bool = True) -> Issue:
    """Tick goal ``number`` (from 1) of the notebook's Explore issue."""
    refuse_inside_run("change the tracker")
    issue = _explore(tracker, notebook)
    new = checklists.set_done(issue.body, GOALS, number, done)
    return issue if new == issue.body else tracker.edit(issue.number, body=new)


def goals_of(issue: Issue) -> list[checklists.ChecklistItem]:
    return checklists.checklist(issue.body, GOALS)
