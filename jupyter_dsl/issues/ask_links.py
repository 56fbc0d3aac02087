"""Ask maintenance: an Ask lists its Data, Explore, Experiment and Model issues as ``- [ ] #N title``
lines under the section DSLP gives each type, ticked when the issue is closed as completed.

Every change is one line of the Ask's body (``ask_sections`` keeps every other byte). Forges have no
compare-and-swap for issue bodies, so a change re-reads the body just before writing and starts again
from the other writer's text when it changed, and reads it back after writing (a writer that replaced
ours meanwhile makes it try again); after ``ATTEMPTS`` tries it fails with the line to add by hand.
What remains is the short window between that re-read and the write itself, which no forge API closes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..dslp import checklists
from ..dslp.issue_types import IssueType
from ..errors import Conflict, NotFound
from ..trackers import Issue, Tracker

SECTION_OF = {
    IssueType.DATA: "Datasets",
    IssueType.EXPLORE: "Understanding and Exploration",
    IssueType.EXPERIMENT: "Approaches and Experiments",
    IssueType.MODEL: "Approaches and Experiments",
}
ATTEMPTS = 5
_CHECKBOX = re.compile(r"^[ \t]*(?P<bullet>[-*+])[ \t]+\[(?P<mark>[ xX])\](?P<rest>.*)$")


@dataclass(frozen=True)
class AskUpdate:
    """What happened to an Ask's line of an issue."""

    ask: int
    section: str
    line: str  # the line as it now reads in the Ask
    changed: bool

    def to_json(self) -> dict[str, Any]:
        return {"ask": self.ask, "section": self.section, "line": self.line, "changed": self.changed}


def ask_line(issue: Issue, done: bool = False) -> str:
    return f"- [{'x' if done else ' '}] #{issue.number} {' '.join(issue.title.split())}"


def ask_and_section(tracker: Tracker, issue: Issue) -> tuple[Issue, str] | None:
    """The Ask that lists ``issue`` and the section of its line (None: no Ask keeps a line of it)."""
    return _target(tracker, issue)


def _target(tracker: Tracker, issue: Issue) -> tuple[Issue, str] | None:
    """The Ask the issue names and the section its line belongs in; None when there is nothing to keep
    (an Ask, an untyped issue, no reference, a reference to a missing issue or to a non-Ask)."""
    section = SECTION_OF.get(issue.type) if issue.type else None
    if section is None or issue.ask is None:
        return None
    try:
        ask = tracker.get(issue.ask)
    except NotFound:
        return None  # a dangling reference: `status` reports the missing Ask
    if ask.type is not IssueType.ASK:
        return None  # an Explore prompted by a Data or Experiment issue: that body is not a list of work
    return ask, section


def _change_body(tracker: Tracker, ask: int, change: Callable[[str], str], describe: str) -> bool:
    """Apply ``change`` to the Ask's body without losing another writer's edit; True when it wrote."""
    for _ in range(ATTEMPTS):
        body = tracker.get(ask).body
        new = change(body)
        if new == body:
            return False
        if tracker.get(ask).body != body:  # someone wrote meanwhile: start again from their text
            continue
        tracker.edit(ask, body=new)
        after = tracker.get(ask).body
        if change(after) == after:  # our line is there (maybe with a later writer's edits around it)
            return True
    raise Conflict(
        f"Ask #{ask} kept changing while jupyter-dsl tried to {describe} ({ATTEMPTS} attempts)",
        hint=f"Nothing of yours was lost; {describe} by hand, or try again.",
    )


def list_in_ask(tracker: Tracker, issue: Issue) -> AskUpdate | None:
    """Make the Ask that ``issue`` names list it (``- [ ] #N title``, ticked if it is closed as
    done); an existing line for ``#N`` is left as the user wrote it. None: no Ask to keep."""
    target = _target(tracker, issue)
    if target is None:
        return None
    ask, section = target
    line = ask_line(issue, done=issue.state == "closed" and issue.state_reason != "not_planned")

    def add(body: str) -> str:
        if checklists.issue_line(body, section, issue.number) is not None:
            return body
        return checklists.set_issue_line(body, section, issue.number, line)

    changed = _change_body(tracker, ask.number, add, f"add `{line}` to Ask #{ask.number}'s {section}")
    current = checklists.issue_line(tracker.get(ask.number).body, section, issue.number)
    return AskUpdate(ask.number, section, current or line, changed)


def tick_in_ask(tracker: Tracker, issue: Issue, done: bool) -> AskUpdate | None:
    """Tick (``done``) or untick the Ask's line of ``issue``, keeping its text; a missing line is added."""
    target = _target(tracker, issue)
    if target is None:
        return None
    ask, section = target

    def tick(body: str) -> str:
        written = checklists.issue_line(body, section, issue.number)
        if written is None:
            return checklists.set_issue_line(body, section, issue.number, ask_line(issue, done))
        match = _CHECKBOX.match(written)
        if match is None or (match["mark"] != " ") == done:
            return body
        line = f"{match['bullet']} [{'x' if done else ' '}]{match['rest']}"
        return checklists.set_issue_line(body, section, issue.number, line)

    verb = "tick" if done else "untick"
    changed = _change_body(tracker, ask.number, tick, f"{verb} #{issue.number} in Ask #{ask.number}")
    current = checklists.issue_line(tracker.get(ask.number).body, section, issue.number)
    return AskUpdate(ask.number, section, current or ask_line(issue, done), changed)
