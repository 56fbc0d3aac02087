"""A version's line in its Data (or Model) issue's body, under ``## Versions``."""

from __future__ import annotations

from ..dslp.issue_types import IssueType
from ..errors import InvalidInput
from ..trackers import Issue, Tracker

SECTION = "## Versions"


def check_issue(tracker: Tracker, number: int, wanted: tuple[IssueType, ...]) -> Issue:
    """The issue, refused unless it is of one of the ``wanted`` types (before anything is written)."""
    issue = tracker.get(number)
    if issue.type not in wanted:
        kinds = " or ".join(kind.value for kind in wanted)
        shown = issue.type.value if issue.type is not None else "no DSLP type"
        raise InvalidInput(
            f"#{number} is {shown}, not a {kinds} issue: a version is tied to its {kinds} issue"
        )
    return issue


def with_version_line(body: str, line: str) -> str:
    """``body`` with ``- line`` appended to its ``## Versions`` section (added at the end if missing)."""
    bullet = f"- {line}"
    lines = body.rstrip("\n").split("\n") if body.strip() else []
    if bullet in lines:
        return body
    if SECTION not in lines:
        return "\n".join([*lines, *([""] if lines else []), SECTION, "", bullet]) + "\n"
    start = lines.index(SECTION)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return "\n".join([*lines[:end], bullet, *lines[end:]]) + "\n"


def add_version_line(tracker: Tracker, number: int, line: str) -> None:
    issue = tracker.get(number)
    updated = with_version_line(issue.body, line)
    if updated != issue.body:
        tracker.edit(number, body=updated)
