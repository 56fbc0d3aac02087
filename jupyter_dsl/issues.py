"""Creating DSLP issues from their templates, on whichever tracker the project uses."""

from __future__ import annotations

from .errors import InvalidInput, NotFound
from .lifecycle import (
    ASK_REFERENCE,
    BASED_ON_EXPERIMENT,
    PROMPTED_BY,
    IssueType,
    render_body,
    template_for,
)
from .trackers import Issue, Tracker


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

    ``ask`` fills the Ask Reference (Experiment, Model) or Prompted by (Explore) line and must name
    an existing issue; ``experiment`` fills a Model's Based on Experiment line.
    """
    if not title.strip():
        raise InvalidInput("an issue needs a title")
    if ask is not None and not issue_type.links_ask:
        raise InvalidInput(f"--ask applies to Explore, Experiment and Model issues, not {issue_type.value}")
    if experiment is not None and issue_type is not IssueType.MODEL:
        raise InvalidInput("--experiment applies to Model issues only")
    for number, what in ((ask, IssueType.ASK), (experiment, IssueType.EXPERIMENT)):
        if number is None:
            continue
        try:
            referenced = tracker.get(number)
        except NotFound as exc:
            raise NotFound(f"the {what.value} #{number} does not exist", hint=exc.hint) from exc
        # an Explore may be prompted by any issue; an Experiment or Model names its Ask and Experiment
        wrong_type = referenced.type is not None and referenced.type is not what
        if wrong_type and not (what is IssueType.ASK and issue_type is IssueType.EXPLORE):
            kind = referenced.type.value if referenced.type else ""
            raise InvalidInput(f"#{number} is of type {kind}, not an {what.value}")
    template = template_for(issue_type, title, variant)
    marker = PROMPTED_BY if issue_type is IssueType.EXPLORE else ASK_REFERENCE
    references: dict[str, int | str | None] = {marker: ask, BASED_ON_EXPERIMENT: experiment}
    body = render_body(template, sections, references=references)
    return tracker.create(title, body, [issue_type.value, *labels])
