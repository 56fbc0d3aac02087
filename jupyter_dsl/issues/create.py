"""Creating DSLP issues from their templates, and reading an issue with its Ask, on any tracker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..dslp.issue_types import IssueType
from ..dslp.templates import ASK_REFERENCE, BASED_ON_EXPERIMENT, PROMPTED_BY, render_body, template_for
from ..errors import Conflict, InvalidInput, NotFound
from ..runs.inside_run import refuse_inside_run
from ..trackers import CloseReason, Comment, Issue, Tracker
from . import ask_links


def new_issue(
    tracker: Tracker,
    issue_type: IssueType,
    title: str,
    *,
    ask: int | None = None,
    experiment: int | None = None,
    sections: dict[str, str] | None = None,
    variant: str | None = None,
    labels: tuple[str, ...] = (),
) -> Issue:
    """Create an issue of ``issue_type`` with its template's body and its type label.

    ``ask`` fills the Ask Reference (Data, Experiment, Model) or Prompted by (Explore) line and must
    name an existing Ask, and the Ask gets the new issue's ``- [ ] #N title`` line (``ask_links``);
    ``experiment`` fills a Model's Based on Experiment line and must name an Experiment.
    """
    refuse_inside_run("create issues")
    if not title.strip():
        raise InvalidInput("an issue needs a title")
    if ask is not None and not issue_type.links_ask:
        raise InvalidInput(
            f"an Ask link applies to Data, Explore, Experiment and Model issues, not {issue_type.value}"
        )
    if experiment is not None and issue_type is not IssueType.MODEL:
        raise InvalidInput("a Based on Experiment link applies to Model issues only")
    if ask is not None:
        referenced_issue(tracker, ask, IssueType.ASK)
    if experiment is not None:
        referenced_issue(tracker, experiment, IssueType.EXPERIMENT)
    template = template_for(issue_type, title, variant)
    marker = PROMPTED_BY if issue_type is IssueType.EXPLORE else ASK_REFERENCE
    references: dict[str, int | str | None] = {marker: ask, BASED_ON_EXPERIMENT: experiment}
    body = render_body(template, sections, references=references)
    created = tracker.create(title, body, [issue_type.value, *labels])
    _keep_ask(lambda: ask_links.list_in_ask(tracker, created), f"created #{created.number}")
    return created


def referenced_issue(tracker: Tracker, number: int, wanted: IssueType) -> Issue:
    """Issue ``number`` that a new issue names as its Ask (``--ask``) or Experiment (``--experiment``).

    The one check every surface uses: ``NotFound`` when the tracker has no such issue, ``InvalidInput``
    naming its type when it is not of type ``wanted`` (a closed Explore is no Ask).
    """
    try:
        referenced = tracker.get(number)
    except NotFound as exc:
        raise NotFound(f"the {wanted.value} #{number} does not exist", hint=exc.advice) from exc
    if referenced.type is not wanted:
        kind = f"of type {referenced.type.value}" if referenced.type else "of no DSLP type (no type label)"
        raise InvalidInput(
            f"#{number} is {kind}, not an {wanted.value}",
            hint=f"Name an issue of type {wanted.value} (labelled {wanted.value}).",
        )
    return referenced


def _keep_ask(update: Callable[[], object], done: str) -> None:
    """Run an Ask update after the issue's own change, saying what did happen when it fails."""
    try:
        update()
    except Conflict as exc:
        raise Conflict(f"{done}, but {exc.message}", hint=exc.advice) from exc


def edit_issue(tracker: Tracker, number: int, *, title: str | None = None, body: str | None = None) -> Issue:
    """Change an issue's title or body; a body that names a new Ask gets the issue listed there."""
    refuse_inside_run("change the tracker")
    before = tracker.get(number)
    edited = tracker.edit(number, title=title, body=body)
    if edited.ask is not None and edited.ask != before.ask:
        _keep_ask(lambda: ask_links.list_in_ask(tracker, edited), f"edited #{number}")
    return edited


def comment_issue(tracker: Tracker, number: int, text: str) -> Comment:
    """Comment ``text`` on issue ``number``."""
    refuse_inside_run("change the tracker")
    return tracker.comment(number, text)


def label_issue(
    tracker: Tracker, number: int, *, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> Issue:
    """Add and remove labels of issue ``number`` in one change (all checked first: all or nothing)."""
    refuse_inside_run("change the tracker")
    return tracker.update_labels(number, add=add, remove=remove)


def reopen_issue(tracker: Tracker, number: int) -> Issue:
    """Reopen an issue and untick its line in its Ask."""
    refuse_inside_run("change the tracker")
    reopened = tracker.reopen(number)
    _keep_ask(lambda: ask_links.tick_in_ask(tracker, reopened, False), f"reopened #{number}")
    return reopened


@dataclass(frozen=True)
class IssueWithAsk:
    """An issue and the Ask its body names. ``ask`` is None when it names none, or names one the
    tracker does not have (deleted, or a typo in the body): then ``ask_missing`` is True."""

    issue: Issue
    ask_number: int | None
    ask: Issue | None

    @property
    def ask_missing(self) -> bool:
        return self.ask_number is not None and self.ask is None

    def to_json(self) -> dict[str, Any]:
        return {
            "issue": self.issue.to_json(),
            "ask": self.ask.to_json() if self.ask else None,
            "ask_missing": self.ask_missing,
        }


def issue_with_ask(tracker: Tracker, number: int, *, ask: int | None = None) -> IssueWithAsk:
    """Issue ``number`` (``NotFound`` if it does not exist) and its Ask, fresh from the tracker.

    The Ask is the one the issue's body names, else ``ask`` (e.g. a notebook link's cached one).
    A missing Ask is reported as missing, not raised; a tracker failure is raised.
    """
    issue = tracker.get(number)
    wanted = issue.ask if issue.ask is not None else ask
    if wanted is None:
        return IssueWithAsk(issue, None, None)
    try:
        found: Issue | None = tracker.get(wanted)
    except NotFound:
        found = None
    return IssueWithAsk(issue, wanted, found)


def close_issue(
    tracker: Tracker, number: int, reason: CloseReason = "completed", *, comment: str | None = None
) -> Issue:
    """Close issue ``number``, first commenting ``comment`` on it; everything is checked before the
    comment is posted, so a bad reason or a missing issue changes nothing."""
    refuse_inside_run("change the tracker")
    if reason not in ("completed", "not_planned"):
        raise InvalidInput(f"unknown close reason {reason!r}", hint="Use 'completed' or 'not_planned'.")
    if comment is not None and not comment.strip():
        raise InvalidInput("a comment needs text")
    tracker.get(number)
    if comment is not None:
        tracker.comment(number, comment)
    closed = tracker.close(number, reason)
    if reason == "completed":  # work not planned stays unticked: the Ask's ticks count what was done
        _keep_ask(lambda: ask_links.tick_in_ask(tracker, closed, True), f"closed #{number}")
    return closed
