"""`jupyter dsl tracker export --to github|gitlab [--dry-run]`: move the local issues to a forge."""

from __future__ import annotations

import click

from ..issues.export import FORGES, ExportResult, export_tracker, open_target
from .base import cli, console, emit, json_option, open_project_tracker


@cli.group()
def tracker() -> None:
    """The project's issue tracker as a whole."""


def export_lines(result: ExportResult) -> list[str]:
    """The export's report, one line each: what went (or would go) where."""
    would = "would " if result.dry_run else ""
    lines: list[str] = []
    if result.labels:
        lines.append(f"{would}create label(s): {', '.join(label.name for label in result.labels)}")
    for move in result.issues:
        where = f"#{move.number}" if move.number is not None else "a new issue"
        verb = "would go to" if result.dry_run else "went to"
        verb = "already on the forge as" if move.found else verb
        extra = [f"{len(move.comments)} comment(s)"] if move.comments else []
        if move.local.state == "closed":
            extra.append(f"closed: {move.local.state_reason or 'completed'}")
        tail = f" ({', '.join(extra)})" if extra else ""
        lines.append(f"#{move.local.number} {verb} {where}: {move.local.title}{tail}")
    lines += [f"{'would relink' if result.dry_run else 'relinked'} {path}" for path in result.notebooks]
    if result.switched:
        lines.append(f'{result.config}: [tracker] kind = "{result.to}"')
    elif result.dry_run:
        lines.append(
            f'would set [tracker] kind = "{result.to}" in {result.config} when every issue went over'
        )
    return lines


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
    target = open_target(project, to)
    try:
        result = export_tracker(project, source, target, to, dry_run=dry_run)
    finally:
        close = getattr(target, "close_connection", None)
        if close is not None:
            close()

    def human() -> None:
        for line in export_lines(result):
            console.print(line, markup=False)

    emit(as_json, result.to_json(), human)
