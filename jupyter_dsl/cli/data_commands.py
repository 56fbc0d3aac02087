"""`jupyter dsl data ...`: dataset versions outside git (DVC's formats), tied to their Data issue."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from ..data.sizes import human_size
from .base import (
    ISSUE_NUMBER,
    cli,
    console,
    emit,
    json_option,
    open_project,
    open_project_tracker,
    resolve_path,
)


@cli.group()
def data() -> None:
    """Dataset versions: added, listed, checked, pulled and pushed (DVC's formats)."""


@data.command("add")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The dataset's name (default: from PATH).")
@click.option("--issue", type=ISSUE_NUMBER, default=None, help="The Data issue this version belongs to.")
@click.option("--version", "version", default=None, metavar="X.Y.Z", help="The version (default: patch+1).")
@json_option
def data_add(path: Path, name: str | None, issue: int | None, version: str | None, as_json: bool) -> None:
    """Version a file or folder: store its bytes, commit its pointer, tag NAME@vX.Y.Z."""
    from ..data.add import add  # lazy: the data stack loads only for data commands

    target = resolve_path(path)
    if issue is not None:
        project, tracker = open_project_tracker(target)
        result = add(project, target, name=name, issue=issue, version=version, tracker=tracker)
    else:
        result = add(open_project(target), target, name=name, version=version)

    def human() -> None:
        size = f"{result.nfiles} files, {human_size(result.size)}"
        if result.unchanged:
            console.print(f"{result.name}: unchanged ({size}), no new version", markup=False)
        else:
            console.print(
                f"{result.name}@v{result.version}: {size}, {result.uploaded} object(s) stored", markup=False
            )
            console.print(f"pointer   {result.pointer} (committed)", markup=False)
        if result.issue is not None:
            console.print(f"issue     #{result.issue}: version line added", markup=False)
        for warning in result.warnings:
            console.print(f"warning: {escape(warning)}", style="yellow")

    emit(as_json, result.to_json(), human)


@data.command("list")
@json_option
def data_list(as_json: bool) -> None:
    """The datasets and their latest versions."""
    from ..data.listing import datasets

    found = datasets(open_project())

    def human() -> None:
        if not found:
            console.print("no datasets (`jupyter dsl data add PATH` adds one)")
        for info in found:
            latest = info.latest
            said = f"v{latest.version} {human_size(latest.size)}" if latest else "untagged"
            issue = f" #{latest.issue}" if latest and latest.issue else ""
            console.print(
                f"{info.name:<20} {said:<18} {len(info.versions)} version(s){issue}  {info.path}",
                markup=False,
            )

    emit(as_json, [info.to_json() for info in found], human)


@data.command("show")
@click.argument("ref", metavar="NAME[@VERSION]")
@json_option
def data_show(ref: str, as_json: bool) -> None:
    """One version: its hash, size, files, issue and commit."""
    from ..data.listing import datasets, show

    project = open_project()
    info = show(project, ref)
    others = datasets(project, info.name)
    versions = [v.version for v in others[0].versions] if others else []

    def human() -> None:
        console.print(
            f"{info.name}@v{info.version}{'  (in the workspace)' if info.current else ''}", markup=False
        )
        console.print(f"md5       {info.md5}", markup=False)
        console.print(f"size      {human_size(info.size)}, {info.nfiles or 1} file(s)", markup=False)
        console.print(f"pointer   {info.path} at {info.commit[:10]}", markup=False)
        if info.issue:
            console.print(f"issue     #{info.issue}", markup=False)
        console.print(f"versions  {', '.join(versions)}", markup=False)

    emit(as_json, {**info.to_json(), "versions": versions}, human)


@data.command("status")
@json_option
def data_status(as_json: bool) -> None:
    """Name the local files that differ from the version their pointer records."""
    from ..data.status import status

    found = status(open_project())

    def human() -> None:
        for item in found:
            console.print(f"{item.name:<20} v{item.version:<10} {item.state:<9} {item.path}", markup=False)
            for changed in item.changed:
                console.print(f"    changed: {changed}", markup=False)

    emit(as_json, [item.to_json() for item in found], human)
    if any(item.state != "ok" for item in found):
        raise click.exceptions.Exit(1)


@data.command("pull")
@click.argument("ref", metavar="[NAME[@VERSION]]", required=False)
@json_option
def data_pull(ref: str | None, as_json: bool) -> None:
    """Fetch a version's files from the store (every hash checked, every file written whole)."""
    from ..data.pull import pull

    done = pull(open_project(), ref)

    def human() -> None:
        for item in done:
            console.print(
                f"{item.name}@v{item.version}: {item.written} fetched, {item.kept} already there"
                f" -> {item.path}",
                markup=False,
            )
            for extra in item.extra:
                console.print(f"    not in this version (left alone): {extra}", style="yellow", markup=False)

    emit(as_json, [item.to_json() for item in done], human)


@data.command("push")
@json_option
def data_push(as_json: bool) -> None:
    """Send the store what it lacks of the workspace's versions."""
    from ..data.pull import push

    done = push(open_project())

    def human() -> None:
        for item in done:
            said = f"skipped ({item.skipped})" if item.skipped else f"{item.uploaded} object(s) sent"
            console.print(f"{item.name}@v{item.version}: {said}", markup=False)

    emit(as_json, [item.to_json() for item in done], human)
