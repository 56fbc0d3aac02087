"""`jupyter dsl labels sync` and `jupyter dsl pr`: the DSLP flow's forge side (works on any tracker)."""

from __future__ import annotations

from pathlib import Path

import click

from ..issues.labels_sync import LabelChange, sync_labels
from ..issues.pulls import open_pull
from .base import cli, console, emit, json_option, open_project_tracker, resolve_path


@cli.group()
def labels() -> None:
    """The tracker's labels."""


def print_label_changes(changes: list[LabelChange]) -> None:
    for change in changes:
        before = ""
        if change.action == "updated" and change.before is not None:
            before = f"  (was {change.before.name}, {change.before.color}, {change.before.description!r})"
        console.print(f"{change.action:<9} {change.label.name}{before}", markup=False)
    counts = {
        action: sum(c.action == action for c in changes) for action in ("created", "updated", "unchanged")
    }
    console.print(", ".join(f"{n} {action}" for action, n in counts.items()), style="dim", markup=False)


@labels.command("sync")
@click.option("--dry-run", is_flag=True, help="Only say what would change.")
@json_option
def labels_sync(dry_run: bool, as_json: bool) -> None:
    """Create or update the eleven DSLP labels (name, colour, description); others are left alone.

    Example: jupyter dsl labels sync
    """
    _, tracker = open_project_tracker()
    changes = sync_labels(tracker, dry_run=dry_run)
    payload = {"labels": [c.to_json() for c in changes], "dry_run": dry_run}
    emit(as_json, payload, lambda: print_label_changes(changes))


@cli.command()
@click.argument("notebook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--draft", is_flag=True, help="Open the pull request as a draft.")
@json_option
def pr(notebook: Path, draft: bool, as_json: bool) -> None:
    """Push NOTEBOOK's DSLP branch and open its pull (merge) request, linked to the issue.

    Checks first: the notebook is linked, git is on its branch, the remote ([branches] remote,
    default origin) exists, the tracker is a forge. An open pull request of the issue is reused.
    """
    path = resolve_path(notebook)
    project, tracker = open_project_tracker(path.parent)
    result = open_pull(project, tracker, path, draft=draft)

    def human() -> None:
        verb = "opened" if result.created else "reused"
        console.print(f"pushed {result.branch} to {result.remote}", markup=False)
        console.print(f"{verb} pull request #{result.pull.number} for #{result.issue.number}", markup=False)
        if result.pull.url:
            console.print(result.pull.url, markup=False)

    emit(as_json, result.to_json(), human)
