"""`jupyter dsl params | run | rerun`: a notebook's parameters, and recorded runs of it."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from ..errors import ConfigError, ProjectNotFound, RunFailed
from ..notebook import parameters
from ..runs.execute import Terminated, plan_run, stopped_record, terminate_raises
from ..runs.execute import execute as execute_plan
from ..runs.records import RunRecord
from ..runs.rerun import rerun as rerun_run
from ..runs.table import format_value
from . import runs_view  # noqa: F401  (registers `runs`)
from .base import cli, console, emit, error_console, json_option, open_project, resolve_path
from .hints import cli_hint
from .runs_view import print_record, print_table


def _escape(text: str) -> str:
    return text.replace("[", r"\[")


def config_options(func: Any) -> Any:
    func = click.option(
        "-p",
        "--parameter",
        "overrides",
        nargs=2,
        multiple=True,
        metavar="NAME VALUE",
        help="Set a parameter (VALUE is read as YAML: 3, 0.1, true, null, [1, 2]); wins over -f.",
    )(func)
    return click.option(
        "-f",
        "--config",
        "configs",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A YAML file of parameter values (repeatable; later files win).",
    )(func)


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
        console.print(_escape(cli_hint(parameters.no_cell_hint(cell)) or ""), highlight=False)
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
        view.add_row(*(_escape(c) for c in rows[-1]))
    if cell.parameters:
        print_table(view, rows, [str(c.header) for c in view.columns])
    for note in cell.notes:
        error_console.print(f"[yellow]note:[/] {_escape(note)}")


def _finish(record: RunRecord, as_json: bool, payload: dict[str, Any] | None = None) -> None:
    """Print the record; a run that did not succeed raises :class:`RunFailed` (exit 7, 130 or 143)."""
    if as_json:
        emit(True, payload if payload is not None else record.to_json(), lambda: None)
        for warning in record.warnings:
            error_console.print(f"[yellow]warning:[/] {_escape(warning)}")
    else:
        print_record(record)
    if record.status != "succeeded":
        raise RunFailed(record, reported=as_json)


@contextlib.contextmanager
def _stopped_runs(as_json: bool) -> Iterator[None]:
    """SIGTERM stops a run like Ctrl-C does; either way the stored record is reported, exit 143 / 130."""
    try:
        with terminate_raises():
            yield
    except (KeyboardInterrupt, Terminated) as exc:
        record = stopped_record(exc)
        if record is None:
            raise RunFailed(None, status="killed" if isinstance(exc, Terminated) else "interrupted") from None
        _finish(record, as_json)


@cli.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@config_options
@click.option("--kernel", help="Kernel name (default: [runs] kernel in dsl.toml, else the notebook's).")
@json_option
def run(
    notebook: Path,
    configs: tuple[Path, ...],
    overrides: tuple[tuple[str, str], ...],
    kernel: str | None,
    as_json: bool,
) -> None:
    """Execute NOTEBOOK in a fresh kernel with the given parameters and record the run.

    The output notebook and every file the notebook writes to jupyter_dsl.run_dir() go to the
    artifact store. Exit code: 0 succeeded, 7 failed, 130 interrupted, 143 killed.
    """
    path = resolve_path(notebook)
    project = open_project(path.parent if path.parent.exists() else None)
    plan = plan_run(
        project, path, config_files=[resolve_path(c) for c in configs], overrides=overrides, kernel=kernel
    )
    with _stopped_runs(as_json):
        record = execute_plan(plan, progress=sys.stderr.isatty() and not as_json)
    _finish(record, as_json)


@cli.command()
@click.argument("run_id", metavar="ID")
@json_option
def rerun(run_id: str, as_json: bool) -> None:
    """Execute a recorded run again with its recorded parameters; say what changed since.

    Compares commit, working tree, notebook content, environment (Python, packages), kernel and metrics.
    ID is a run id or any part of it that names one run, e.g. its random last part (3f9a1c).
    """
    project = open_project()
    with _stopped_runs(as_json):
        report = rerun_run(project, run_id, progress=sys.stderr.isatty() and not as_json)
    if not as_json:
        _print_changes(report.original.id, report.changes)
        _print_original(report.original)
    _finish(report.rerun, as_json, report.to_json())


def _print_original(original: RunRecord) -> None:
    """Say that the rerun cannot be what the original ran when its commit did not hold its files."""
    if original.unreproducible:
        said = ", ".join(f.said for f in original.unreproducible)
        error_console.print(
            f"[yellow]warning:[/] run {original.id} was not reproducible from its commit ({_escape(said)}): "
            "this rerun ran the files as they are now",
            highlight=False,
        )


def _print_changes(original: str, changes: dict[str, Any]) -> None:
    if not changes:
        console.print(
            f"rerun of {original}: nothing changed (commit, environment, kernel, metrics)", highlight=False
        )
        return
    console.print(f"rerun of {original}: what changed since", highlight=False)
    for key in ("commit", "notebook", "kernel", "status"):
        if key in changes:
            old, new = changes[key]
            console.print(f"  {key:<12}{old} -> {new}", markup=False, highlight=False)
    if "unreproducible" in changes:
        old, new = (
            ", ".join(f"{f['path']} {f['reason']}" for f in side) or "all committed"
            for side in changes["unreproducible"]
        )
        console.print(f"  {'provenance':<12}{old} -> {new}", markup=False, highlight=False)
    if "working_tree" in changes:
        old, new = changes["working_tree"]
        console.print(
            f"  {'dirty':<12}{bool(old and old['dirty'])} -> {bool(new and new['dirty'])}", highlight=False
        )
    env = changes.get("environment")
    if env:
        if env["python"]:
            console.print(f"  {'python':<12}{env['python'][0]} -> {env['python'][1]}", highlight=False)
        for name, (old, new) in env["changed"].items():
            console.print(f"  package     {name} {old} -> {new}", markup=False, highlight=False)
        for name, version in env["added"].items():
            console.print(f"  package     {name} {version} added", markup=False, highlight=False)
        for name, version in env["removed"].items():
            console.print(f"  package     {name} {version} removed", markup=False, highlight=False)
    for name, (old, new) in changes.get("metrics", {}).items():
        console.print(
            f"  metric      {name}: {format_value(old)} -> {format_value(new)}", markup=False, highlight=False
        )
