"""The timeline of an Ask: issues opened and closed, completions, batches, and the runs outside a
batch (one event per issue and day, with how many ran and failed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..notebook.document import NotebookLink
from ..trackers import Issue
from .model import Event, Link

if TYPE_CHECKING:
    from .collect import ProjectView


def _issue_events(view: ProjectView, issue: Issue) -> list[Event]:
    kind = issue.type.value if issue.type else "issue"
    link = Link(f"#{issue.number}", "issue", url=issue.url or None)
    events = []
    if issue.created_at:
        events.append(
            Event(issue.created_at, "opened", f"{kind} #{issue.number} {issue.title} opened", [link])
        )
    if issue.closed_at:
        outcome = next((o for o in ("succeeded", "failed") if o in issue.labels), None)
        said = f" ({outcome})" if outcome else ""
        text = f"{kind} #{issue.number} {issue.title} closed{said}"
        events.append(Event(issue.closed_at, "closed", text, [link]))
    return events


def _run_events(view: ProjectView, issue: Issue) -> list[Event]:
    events: list[Event] = []
    days: dict[str, list[str]] = {}  # day -> statuses of the runs outside a batch
    latest: dict[str, str] = {}
    notebooks: dict[str, set[str]] = {}
    batches: set[str] = set()
    for run in view.runs_of(issue.number):
        if run.batch_id is not None:
            batches.add(run.batch_id)
            continue
        day = run.started_at[:10]
        days.setdefault(day, []).append(run.status)
        latest[day] = max(latest.get(day, ""), run.started_at)
        notebooks.setdefault(day, set()).add(run.notebook)
    for day, statuses in days.items():
        failed = statuses.count("failed")
        said = f", {failed} failed" if failed else ""
        links = [Link(path, "notebook", path=path) for path in sorted(notebooks[day])]
        events.append(Event(latest[day], "runs", f"{len(statuses)} run(s) of #{issue.number}{said}", links))
    for batch_id in sorted(batches):
        batch = view.batches.get(batch_id)
        if batch is None:
            continue
        notebook = str(batch["notebook"])
        text = f"batch {batch_id} of #{issue.number}: {batch['total']} run(s), {batch['status']}"
        links = [Link(batch_id, "batch"), Link(notebook, "notebook", path=notebook)]
        events.append(Event(str(batch["created_at"]), "batch", text, links))
    return events


def build_timeline(
    view: ProjectView, issues: list[Issue], notebooks: dict[int, list[tuple[str, NotebookLink]]]
) -> list[Event]:
    """Every event of ``issues`` (the Ask first, then its work), oldest first."""
    events: list[Event] = []
    for issue in issues:
        events += _issue_events(view, issue)
        events += _run_events(view, issue)
        for path, link in notebooks.get(issue.number, []):
            if link.completed_at:
                text = f"{path} marked complete (#{issue.number})"
                events.append(
                    Event(link.completed_at, "completed", text, [Link(path, "notebook", path=path)])
                )
    return sorted(events, key=lambda event: (event.when, event.kind, event.text))
