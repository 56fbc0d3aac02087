"""`jupyter dsl tracker export --to github|gitlab [--dry-run]`: move the local issues to a forge."""

from __future__ import annotations

import click

from ..issues.export import FORGES, export_tracker, open_target
from .base import cli, console, emit, json_option, open_project_tracker


@cli.group()
def tracker() -> None:
    """The project's issue tracker as a whole."""


@tracker.command("export")
@click.option("--to", "to", type=click.Choice(FORGES), required=True, help="The forge to move the issues to.")
@click.option("--dry-run", is_flag=True, help="Only say what would be done; change nothing.")
@json_option
def tracker_export(to: str, dry_run: bool, as_json: bool) -> None:
    """Move the local tracker's issues (comments, labels, states) to the forge [tracker] names.

    Numbers are mapped and the Asks' checklists and the linked notebooks follow; dsl.toml switches to
    the forge only when every issue went over. Interrupted, run it again: it resumes without duplicates.

    Example: jupyter dsl tracker export --to github --dry-run
    """
    project, source = open_project_tracker()
    target = open_target(project, to, dry_run=dry_run)
    try:
        result = export_tracker(project, source, target, to, dry_run=dry_run)
    finally:
        close = getattr(target, "close_connection", None)
        if close is not None:
            close()

    def human() -> None:
        for line in result.report():
            console.print(line, markup=False)

    emit(as_json, result.to_json(), human)
