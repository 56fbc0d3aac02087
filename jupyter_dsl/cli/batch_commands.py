"""`jupyter dsl batch | batches | plot`: rerun a notebook over a grid, follow batches, chart a metric."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..batch.driver import (
    BatchOptions,
    BatchOutcome,
    BatchPlan,
    batch_state,
    cancel_batch,
    find_batch_id,
    plan_batch,
)
from ..batch.executors import BatchProgress, names
from ..batch.plot import batch_figure, save_figure
from ..batch.state import BatchState, BatchStore
from ..runs.jobs import Observer
from ..runs.service import RunService
from ..runs.store import RunStore
from ..runs.table import format_value, shown_values, varying
from .base import cli, config_options, console, emit, error_console, json_option, open_project, resolve_path
from .runs_view import STATUS_STYLE, print_table


def _print_plan(plan: BatchPlan) -> None:
    todo = plan.to_run
    console.print(
        f"batch {plan.batch_id} of {plan.base.relative}: {len(plan.sets)} parameter sets"
        + (f", {len(plan.sets) - len(todo)} already succeeded (skipped)" if plan.resume else ""),
        highlight=False,
    )
    varied = varying([s.values for s in plan.sets])
    for index, item, identity in [
        (i, s, ident) for i, (s, ident) in enumerate(zip(plan.sets, plan.identities, strict=True))
    ]:
        mark = "skip" if identity in plan.done else "run "
        console.print(
            f"  {mark} {index + 1:>3}  {escape(shown_values(item.values, varied))}", highlight=False
        )


class _Lines(Observer):
    """Progress as plain lines (not a terminal): one line per finished run."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.seen = 0

    def on_progress(self, progress: BatchProgress) -> None:
        if progress.done <= self.seen or progress.last is None:
            return
        self.seen = progress.done
        status, values, took, error = progress.last
        seconds = f" in {took:.2f} s" if took is not None else ""
        detail = f": {error}" if error and status != "succeeded" else ""
        error_console.print(
            f"[{progress.done}/{progress.total}] {status}{seconds} {shown_values(values)}{detail}",
            markup=False,
            highlight=False,
        )


class _Bar(Observer):
    """A live rich bar: done of total, failed, running, ETA and the parameters of a running run."""

    def __init__(self, bar: Progress, total: int) -> None:
        self.bar = bar
        self.task = bar.add_task("batch", total=total, failed=0, running=0, current="")

    def on_progress(self, progress: BatchProgress) -> None:
        current = shown_values(next(iter(progress.running.values()))) if progress.running else ""
        self.bar.update(
            self.task,
            total=progress.total,
            completed=progress.done,
            failed=progress.failed,
            running=len(progress.running),
            current=current[:60],
        )


@contextmanager
def _progress(total: int, quiet: bool) -> Iterator[Observer | None]:
    if quiet:
        yield None
    elif error_console.is_terminal:
        columns = (
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed[/] {task.fields[running]} running"),
            TimeRemainingColumn(),
            TextColumn("[dim]{task.fields[current]}"),
        )
        with Progress(*columns, console=error_console, transient=True) as bar:
            yield _Bar(bar, total)
    else:
        yield _Lines(total)


def print_state(state: BatchState, took: float | None = None) -> None:
    counts = state.counts
    shown = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    after = f" in {took:.1f} s" if took is not None else ""
    console.print(f"batch [bold]{state.id}[/] {state.status}: {shown}{after}", highlight=False)
    varied = state.varying
    metrics: list[str] = []
    for run in state.runs:
        metrics += [m for m in run.metrics if m not in metrics]
    headers = ["#", "state", *varied, *metrics, "duration_s", "run", "error"]
    view = Table(box=None, pad_edge=False, header_style="bold")
    for column in headers:
        view.add_column(column, overflow="fold")
    rows: list[list[str]] = []
    for run in state.runs:
        row = [str(run.position + 1), run.state]
        row += [format_value(run.parameters.get(n)) for n in varied]
        row += [format_value(run.metrics[m]) if m in run.metrics else "" for m in metrics]
        row += ["" if run.duration_s is None else f"{run.duration_s:.2f}", run.run_id or "", run.error or ""]
        rows.append(row)
        style = STATUS_STYLE.get(run.state, "")
        view.add_row(*(escape(c) for c in row), style=style or None)
    print_table(view, rows, headers)


@cli.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@click.option("--grid", "grid_file", type=click.Path(path_type=Path), help="The grid file (YAML).")
@config_options
@click.option(
    "-j", "--jobs", type=int, default=0, help="Runs at once (default: [batch] workers, else cores)."
)
@click.option(
    "--timeout", type=float, metavar="SECONDS", help="Stop a run after this long (recorded failed)."
)
@click.option(
    "--resume",
    "resume_id",
    metavar="BATCH_ID",
    help="Run the sets of this batch (any unique part of its id) that never succeeded.",
)
@click.option("--dry-run", is_flag=True, help="Print the parameter sets; run nothing.")
@click.option("--executor", help=f"Where runs execute: {', '.join(names())} (default: [batch] executor).")
@click.option("--scheduler", metavar="ADDRESS", help="The Dask scheduler (--executor dask).")
@click.option("--kernel", help="Kernel name (default: [runs] kernel in dsl.toml, else the notebook's).")
@json_option
def batch(
    notebook: Path,
    grid_file: Path | None,
    configs: tuple[Path, ...],
    overrides: tuple[tuple[str, str], ...],
    jobs: int,
    timeout: float | None,
    resume_id: str | None,
    dry_run: bool,
    executor: str | None,
    scheduler: str | None,
    kernel: str | None,
    as_json: bool,
) -> None:
    """Rerun NOTEBOOK once per parameter set of a grid file, each run in a fresh kernel, all recorded.

    GRID.yaml: `parameters:` (fixed), `grid:` (name -> list; the cartesian product), `matrix:` (a list of
    parameter sets; combined with every grid point). Exit code: 0 all succeeded, 7 some failed,
    130 cancelled (Ctrl-C). Resume an interrupted batch with --resume BATCH_ID.
    """
    path = resolve_path(notebook)
    project = open_project(path.parent if path.parent.exists() else None)
    plan = plan_batch(
        project,
        path,
        resolve_path(grid_file) if grid_file else None,
        config_files=[resolve_path(c) for c in configs],
        overrides=overrides,
        kernel=kernel,
        resume=resume_id,
    )
    if dry_run:
        emit(as_json, plan.to_json(), lambda: _print_plan(plan))
        return
    options = BatchOptions(jobs, timeout, executor or "", scheduler or "")
    started = time.monotonic()
    with _progress(len(plan.to_run), as_json) as observer:
        job = RunService().start_batch(plan, options, foreground=True, observer=observer)
    outcome = job.result
    assert isinstance(outcome, BatchOutcome)  # a foreground batch that returned has its outcome
    emit(as_json, outcome.to_json(), lambda: print_state(outcome.state, time.monotonic() - started))
    for warning in outcome.warnings:
        error_console.print(f"[yellow]warning:[/] {escape(warning)}")
    _exit(outcome, plan)


def _exit(outcome: BatchOutcome, plan: BatchPlan) -> None:
    for error in outcome.errors:
        error_console.print(f"[bold red]error:[/] {escape(error)}")
    code = outcome.exit_code
    if code == 0:
        return
    counts = outcome.state.counts
    if outcome.stopped:
        error_console.print(
            f"batch {plan.batch_id} {outcome.stopped}: resume it with "
            f"`jupyter dsl batch {plan.base.relative} --resume {plan.batch_id}`",
            markup=False,
            highlight=False,
        )
    else:
        bad = len(outcome.state.runs) - counts.get("succeeded", 0)
        error_console.print(
            f"batch {plan.batch_id}: {bad} of {len(outcome.state.runs)} runs did not succeed; "
            f"`jupyter dsl runs show ID` shows a run's traceback",
            markup=False,
            highlight=False,
        )
    sys.stdout.flush()
    raise click.exceptions.Exit(code)


@cli.command()
@click.argument("batch_id", metavar="[ID]", required=False)
@click.option("--cancel", is_flag=True, help="Ask the batch's driver to cancel it.")
@click.option("--limit", type=int, default=20, show_default=True, help="How many batches to list.")
@json_option
def batches(batch_id: str | None, cancel: bool, limit: int, as_json: bool) -> None:
    """The project's batches, newest first; with ID (or any unique part of it, e.g. its last part):
    each parameter set's state (queued, running, ...)."""
    project = open_project()
    if batch_id is None:
        with RunStore(project.database_path) as runs:
            listed = BatchStore(runs).list(limit)
        emit(as_json, {"batches": listed}, lambda: _print_batches(listed))
        return
    if cancel:
        cancel_batch(project, batch_id)
    state = batch_state(project, batch_id)
    emit(as_json, state.to_json(), lambda: print_state(state))


def _print_batches(listed: list[dict[str, Any]]) -> None:
    if not listed:
        console.print("no batches yet: jupyter dsl batch NOTEBOOK --grid GRID.yaml", highlight=False)
        return
    headers = ["id", "notebook", "status", "total", "created"]
    rows = [[b["id"], b["notebook"], b["status"], str(b["total"]), b["created_at"][:19]] for b in listed]
    view = Table(box=None, pad_edge=False, header_style="bold")
    for column in headers:
        view.add_column(column)
    for row in rows:
        view.add_row(*(escape(c) for c in row))
    print_table(view, rows, headers)


@cli.command()
@click.option(
    "--batch", "batch_id", required=True, metavar="ID", help="The batch (any unique part of its id)."
)
@click.option("--x", "x", required=True, metavar="PARAM", help="The parameter on the x axis.")
@click.option("--y", "y", required=True, metavar="METRIC", help="The metric on the y axis.")
@click.option("--out", type=click.Path(path_type=Path), help="PNG file (default: batch-ID-Y-by-X.png).")
@json_option
def plot(batch_id: str, x: str, y: str, out: Path | None, as_json: bool) -> None:
    """Chart a batch's METRIC against PARAM: one line per combination of the other parameters."""
    project = open_project()
    batch_id = find_batch_id(project, batch_id)  # any unique part of the id, as for runs
    figure = batch_figure(project.database_path, batch_id, x, y)
    target = resolve_path(out) if out else resolve_path(f"batch-{batch_id}-{y}-by-{x}.png")
    save_figure(figure, target)
    emit(as_json, {"path": str(target)}, lambda: console.print(f"wrote {target}", highlight=False))
