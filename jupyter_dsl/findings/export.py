"""``jupyter dsl findings``: render a notebook's summary to a file (Markdown with its images, or HTML)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProjectNotFound
from ..project.settings import Project, find_project
from ..trackers import Tracker, open_tracker
from .redact import Redactor
from .render import Rendered, render
from .summary import Summary, build_summary


@dataclass
class Exported:
    summary: Summary
    written: list[Path]  # the summary first, then its images


def project_of(notebook: Path) -> Project | None:
    """The notebook's project, or None: any notebook can be summarized, inside a project or not."""
    try:
        return find_project(notebook.parent)
    except ProjectNotFound:
        return None


def render_notebook_summary(
    notebook: Path,
    to: str,
    *,
    project: Project | None,
    tracker: Tracker | Callable[[], Tracker] | None = None,
    run_id: str | None = None,
    redactor: Redactor | None = None,
) -> tuple[Summary, Rendered]:
    """The notebook's summary and its rendering in ``to`` (md or html), scrubbed of secrets (the
    environment's, and ``[findings] scrub_env``), with the project's template override if it has one.
    ``tracker`` may be a function that opens one (called only for a linked notebook)."""
    summary = build_summary(notebook, project=project, tracker=tracker, run_id=run_id)
    if redactor is None:
        extra = project.settings.findings.scrub_env if project is not None else ()
        redactor = Redactor.from_environment(extra_names=extra)
    template = project.template_dir if project is not None else None
    return summary, render(summary, to, redactor=redactor, template_dir=template)


def export_summary(
    notebook: Path,
    *,
    to: str = "md",
    out: Path | None = None,
    run_id: str | None = None,
    tracker: Tracker | None = None,
    redactor: Redactor | None = None,
) -> Exported:
    """Write ``<stem>.md`` (images in ``<stem>_files/``) or a self-contained ``<stem>.html`` into
    ``out`` (default: the project's ``[findings] dir``, else the notebook's folder)."""
    project = project_of(notebook)
    lazy = (lambda: open_tracker(project)) if tracker is None and project is not None else None
    summary, rendered = render_notebook_summary(
        notebook, to, project=project, tracker=tracker or lazy, run_id=run_id, redactor=redactor
    )
    if out is None:
        out = Path(project.resolve(project.settings.findings.dir)) if project is not None else notebook.parent
    return Exported(summary, rendered.write(out, f"{summary.stem}.{to}"))
