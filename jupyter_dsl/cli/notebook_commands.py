"""`jupyter dsl status | link | unlink | branch | params`: a notebook, its link to an issue, its branch and
its parameters cell."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..errors import ConfigError, ProjectNotFound
from ..notebook import links, parameters
from ..runs.table import format_value
from .base import (
    ISSUE_NUMBER,
    cli,
    config_options,
    console,
    emit,
    error_console,
    json_option,
    open_project,
    open_project_tracker,
    resolve_path,
    show_offline,
)
from .hints import cli_hint
from .project_commands import project_status
from .runs_view import print_table


@cli.command()
@click.argument("notebook", required=False, type=click.Path(dir_okay=False, path_type=Path))
@json_option
def status(notebook: Path | None, as_json: bool) -> None:
    """NOTEBOOK's issue, its Ask and branch; without NOTEBOOK, the project's state."""
    if notebook is None:
        project_status(as_json)
        return
    path = resolve_path(notebook)
    project, tracker = open_project_tracker(path.parent)
    state = links.status(project, tracker, path)

    def human() -> None:
        show_offline(tracker)
        if state.link is None:
            console.print(f"{state.path} is not linked to an issue", markup=False)
            console.print(
                "link it: jupyter dsl link NOTEBOOK N   (or create one: jupyter dsl issue new ...)",
                style="dim",
            )
            return
        ref = state.issue or state.link.issue
        title = ref.title
        kind = (state.issue.type.value if state.issue and state.issue.type else state.link.issue.type) or "-"
        issue_state = state.issue.state if state.issue else "unknown"
        console.print(f"{state.path} → #{ref.number} {kind}: {title} ({issue_state})", markup=False)
        if state.ask:
            console.print(
                f"  ask:    #{state.ask.number} {state.ask.title} ({state.ask.state})", markup=False
            )
        elif state.ask_missing:
            console.print(f"  ask:    #{state.ask_number} (missing from the tracker)", markup=False)
        console.print(f"  status: {state.link.status}", markup=False)
        mark = "✓" if state.on_branch else "✗"
        console.print(
            f"  branch: {state.expected_branch} {mark} (on {state.current_branch or 'no branch'})",
            markup=False,
        )
        if state.branch_renamed:
            console.print(
                "  (the issue's title changed since it was linked; the branch keeps its name)",
                style="dim",
                markup=False,
            )
        if not state.on_branch and state.expected_branch:
            console.print(f"  switch: jupyter dsl branch {notebook}", style="dim", markup=False)
        if state.issue_error:
            console.print(
                f"  tracker: {state.issue_error} (showing the cached link)", style="yellow", markup=False
            )

    emit(as_json, {**state.to_json(), "offline_as_of": tracker.offline_as_of}, human)


@cli.command()
@click.argument("notebook", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("number", type=ISSUE_NUMBER)
@json_option
def link(notebook: Path, number: int, as_json: bool) -> None:
    """Link NOTEBOOK to issue NUMBER (only its metadata.jupyter_dsl changes)."""
    path = resolve_path(notebook)
    project, tracker = open_project_tracker(path.parent)
    new = links.link(tracker, path, number)

    def human() -> None:
        console.print(
            f"linked {project.relative(path)} → #{number} {new.issue.type or ''}: {new.issue.title}",
            markup=False,
        )
        console.print(
            f"its branch: {new.branch}   (jupyter dsl branch {notebook})", style="dim", markup=False
        )

    emit(as_json, {"path": project.relative(path), "link": new.to_json()}, human)


@cli.command()
@click.argument("notebook", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def unlink(notebook: Path, as_json: bool) -> None:
    """Remove NOTEBOOK's link to its issue."""
    path = resolve_path(notebook)
    previous = links.unlink(path)

    def human() -> None:
        if previous is None:
            console.print(f"{notebook} was not linked; nothing changed", markup=False)
        else:
            console.print(f"unlinked {notebook} from #{previous.issue.number}", markup=False)

    emit(as_json, {"path": str(path), "previous": previous.to_json() if previous else None}, human)


@cli.command()
@click.argument("notebook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Switch with uncommitted changes: they travel along; those the branch has otherwise are stashed.",
)
@json_option
def branch(notebook: Path, force: bool, as_json: bool) -> None:
    """Create or switch to the DSLP branch of NOTEBOOK's issue (e.g. explore/12-churn-by-region)."""
    path = resolve_path(notebook)
    project, tracker = open_project_tracker(path.parent)
    result = links.switch_branch(project, tracker, path, force=force)

    def human() -> None:
        if result.previous == result.branch and not result.created:
            console.print(f"already on {result.branch}", markup=False)
        elif result.created:
            console.print(
                f"created {result.branch} from {result.base or 'HEAD'} and switched to it", markup=False
            )
        else:
            console.print(f"switched to {result.branch}", markup=False)
        if result.stash_note:
            console.print(result.stash_note, style="yellow", markup=False)

    payload = {
        "branch": result.branch,
        "created": result.created,
        "base": result.base,
        "previous": result.previous,
        "stashed": list(result.stashed),
    }
    emit(as_json, payload, human)


@cli.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@click.option("--tag-cell", type=int, metavar="N", help="Tag cell N (counted from 1) as the parameters cell.")
@click.option("--move", is_flag=True, help="With --tag-cell: move the tag from the cell that has it.")
@config_options
@json_option
def params(
    notebook: Path,
    tag_cell: int | None,
    move: bool,
    configs: tuple[Path, ...],
    overrides: tuple[tuple[str, str], ...],
    as_json: bool,
) -> None:
    """The parameters cell of NOTEBOOK: names, types, defaults and help comments.

    With -f/-p: the values a run would use, checked against the cell (nothing runs).
    """
    path = resolve_path(notebook)
    if tag_cell is not None:
        result = parameters.tag_cell(path, tag_cell - 1, move=move)
        moved_from = result.moved_from + 1 if result.moved_from is not None else None  # cells from 1
        payload = {
            "path": str(path),
            "cell": result.cell_index + 1,
            "cell_index": result.cell_index,
            "changed": result.changed,
            "moved_from": moved_from,
        }

        def said() -> None:
            if not result.changed:
                console.print(
                    f"cell {tag_cell} is already the parameters cell; nothing changed", highlight=False
                )
            else:
                moved = f" (moved from cell {moved_from})" if moved_from is not None else ""
                console.print(
                    f"tagged cell {tag_cell} of {path.name} as the parameters cell{moved}", highlight=False
                )

        emit(as_json, payload, said)
        return
    cell = parameters.inspect(path)
    root = _project_root(path) if configs else None
    resolved = parameters.resolve(cell, [resolve_path(c) for c in configs], overrides, root=root)
    payload = cell.to_json() | {
        "values": resolved.values,
        "sources": resolved.sources,
        "coerced": resolved.coerced,
    }
    emit(as_json, payload, lambda: _print_params(cell, resolved))


def _project_root(path: Path) -> Path | None:
    """The root of the project holding ``path``; config files are shown relative to it."""
    try:
        return open_project(path.parent).root
    except (ProjectNotFound, ConfigError):  # no project, or a broken dsl.toml: absolute paths then
        return None


def _print_params(cell: parameters.ParametersCell, resolved: parameters.ResolvedParameters) -> None:
    if cell.cell_index is None:
        console.print(f"{cell.path.name} has no parameters cell.", highlight=False)
        console.print(escape(cli_hint(parameters.no_cell_hint(cell)) or ""), highlight=False)
        return
    console.print(f"{cell.path.name}: parameters cell is cell {cell.cell_index + 1}", highlight=False)
    if not cell.parameters:
        console.print("  it assigns no parameters papermill can read", highlight=False)
    view = Table(box=None, pad_edge=False, header_style="bold")
    noted = ["note"] if resolved.coerced else []
    for column in (
        "name",
        "type",
        "default",
        *(["value", "from"] if resolved.values else []),
        *noted,
        "help",
    ):
        view.add_column(column, overflow="fold")
    rows: list[list[str]] = []
    for param in cell.parameters:
        kind = param.type + (" or None" if param.optional and param.type != "any" else "")
        row = [param.name, kind, param.default]
        if resolved.values:
            given = param.name in resolved.values
            row += [
                format_value(resolved.values[param.name]) if given else "",
                resolved.sources.get(param.name, ""),
            ]
        if noted:
            row.append(resolved.coerced.get(param.name, ""))
        rows.append([*row, param.help])
        view.add_row(*(escape(c) for c in rows[-1]))
    if cell.parameters:
        print_table(view, rows, [str(c.header) for c in view.columns])
    for note in cell.notes:
        error_console.print(f"[yellow]note:[/] {escape(note)}")
