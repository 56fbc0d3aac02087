"""`jupyter dsl run | rerun` (and `runs`, in runs_view): recorded runs of a notebook."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from ..errors import RunFailed
from ..project.settings import Project
from ..runs.inside_run import current_run
from ..runs.interrupts import Terminated, stopped_record
from ..runs.records import RunRecord
from ..runs.table import format_value
from ..runs.warm_kernels import WarmKernels
from . import runs_view  # noqa: F401  (registers `runs`)
from .base import cli, config_options, console, emit, error_console, json_option, open_project, resolve_path
from .runs_view import print_record


def _finish(record: RunRecord, as_json: bool, payload: dict[str, Any] | None = None) -> None:
    """Print the record; a run that did not succeed raises :class:`RunFailed` (exit 7, 130 or 143)."""
    if as_json:
        emit(True, payload if payload is not None else record.to_json(), lambda: None)
        for warning in record.warnings:
            error_console.print(f"[yellow]warning:[/] {escape(warning)}")
    else:
        print_record(record)
    if record.status != "succeeded":
        raise RunFailed(record, reported=as_json)


@contextlib.contextmanager
def _stopped_runs(as_json: bool) -> Iterator[None]:
    """SIGTERM stops a run like Ctrl-C does (the run service's foreground); either way the stored
    record is reported, exit 143 / 130."""
    try:
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
    kernels = _warm_kernels(project, path, kernel)  # first: its fork server imports while we load the rest
    # lazy: the run stack (nbformat, papermill, jupyter_client) loads while the fork server starts
    from ..runs.execute import plan_run
    from ..runs.service import RunService

    configs_given = [resolve_path(c) for c in configs]

    def plan() -> Any:
        return plan_run(project, path, config_files=configs_given, overrides=overrides, kernel=kernel)

    service = RunService(kernels=kernels)
    try:
        with _stopped_runs(as_json):
            job = service.start_run(
                plan,
                foreground=True,
                progress=sys.stderr.isatty() and not as_json,
            )
    finally:
        service.shutdown()  # the fork server stops (the run's kernel is already killed)
    assert isinstance(job.result, RunRecord)  # a foreground run that returned is recorded
    _finish(job.result, as_json)


def _warm_kernels(project: Project, notebook: Path, kernel: str | None) -> WarmKernels | None:
    """A fork server for the run's kernel, started now with the notebook's imports (the kernel named
    as planning will name it: --kernel, [runs] kernel, the notebook's). None where the run will be
    refused or the notebook cannot be read: planning then says why."""
    if current_run() is not None:
        return None
    try:
        content = notebook.read_bytes()
        metadata = json.loads(content).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return None
    spec = metadata.get("kernelspec") if isinstance(metadata, dict) else None
    named = spec.get("name") if isinstance(spec, dict) else None
    name = kernel or project.settings.runs.kernel or (named if isinstance(named, str) else None) or "python3"
    kernels = WarmKernels(keep=1)
    kernels.warm(name, content, notebook.parent)
    return kernels


@cli.command()
@click.argument("run_id", metavar="ID")
@json_option
def rerun(run_id: str, as_json: bool) -> None:
    """Execute a recorded run again with its recorded parameters; say what changed since.

    Compares commit, working tree, notebook content, environment (Python, packages), kernel and metrics.
    ID is a run id or any part of it that names one run, e.g. its random last part (3f9a1c).
    """
    from ..runs.rerun import RerunReport  # lazy: the run stack loads for the commands that run
    from ..runs.service import RunService

    project = open_project()
    with _stopped_runs(as_json):
        job = RunService().start_rerun(
            project, run_id, foreground=True, progress=sys.stderr.isatty() and not as_json
        )
    report = job.result
    assert isinstance(report, RerunReport)  # a foreground rerun that returned is recorded
    if not as_json:
        _print_changes(report.original.id, report.changes)
        _print_original(report.original)
    _finish(report.rerun, as_json, report.to_json())


def _print_original(original: RunRecord) -> None:
    """Say that the rerun cannot be what the original ran when its commit did not hold its files."""
    if original.unreproducible:
        said = ", ".join(f.said for f in original.unreproducible)
        error_console.print(
            f"[yellow]warning:[/] run {original.id} was not reproducible from its commit ({escape(said)}): "
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
    for name, sides in changes.get(
        "data", {}
    ).items():  # the data changed since: which dataset, which version
        old, new = (_data_said(side) for side in sides)
        console.print(f"  data        {name}: {old} -> {new}", markup=False, highlight=False)


def _data_said(side: dict[str, Any] | None) -> str:
    if side is None:
        return "not read"
    version = f"v{side['version']}" if side.get("version") else "untagged"
    return f"{version} {str(side.get('md5'))[:12]}" + (
        " (local files differed)" if side.get("modified") else ""
    )
