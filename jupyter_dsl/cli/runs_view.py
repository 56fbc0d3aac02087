"""`jupyter dsl runs [show ID]`: list recorded runs (differing parameters + metrics) and show one."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import InvalidInput
from ..runs import STATUSES, MetricFilter, RunQuery, RunRecord
from ..runs.listing import list_runs, show_run
from ..runs.shared import SharedRunsResult, index_shared_runs, sync_words
from ..runs.store import notebook_key
from ..runs.table import format_value, sort_by_metric
from .base import ISSUE_NUMBER, cli, console, emit, error_console, json_option, open_project, resolve_path


def print_table(view: Table, rows: list[list[str]], headers: list[str]) -> None:
    """Print a table at its natural width when stdout is not a terminal (pipes, files, tests)."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    natural = sum(widths) + 2 * len(widths)
    if console.is_terminal:
        console.print(view)
    else:
        Console(file=console.file, highlight=False, width=max(natural, 80)).print(view)


STATUS_STYLE = {
    "succeeded": "green",
    "failed": "red",
    "interrupted": "yellow",
    "killed": "yellow",
    "running": "cyan",
}


DATA_CONDITION = "data="


def data_condition(text: str) -> tuple[str, str | None]:
    """``data=customers@1.2.0`` -> (``customers``, ``1.2.0``)."""
    from ..data.versions import split_ref  # lazy: the data stack loads only for a data condition

    return split_ref(text[len(DATA_CONDITION) :].strip())


def print_record(record: RunRecord, *, full: bool = False) -> None:
    """The human report of one run (after `run`, `rerun` and for `runs show`)."""
    style = STATUS_STYLE.get(record.status, "")
    took = f" in {record.duration_s:.2f} s" if record.duration_s is not None else ""
    console.print(f"run [bold]{record.id}[/] [{style}]{record.status}[/]{took}", highlight=False)
    console.print(f"  notebook    {escape(record.notebook)} (kernel {record.kernel})", highlight=False)
    if record.parameters:
        shown = ", ".join(f"{k}={format_value(v)}" for k, v in record.parameters.items())
        console.print(f"  parameters  {escape(shown)}", highlight=False)
    if record.issue is not None:
        console.print(f"  issue       #{record.issue.number} {escape(record.issue.title)}", highlight=False)
    if record.git is not None:
        dirty = " (dirty)" if record.git.dirty else ""
        commit = (record.git.commit or "no commit")[:12]
        console.print(
            f"  git         {commit} on {record.git.branch or 'detached HEAD'}{dirty}", highlight=False
        )
    if record.unreproducible:
        said = ", ".join(f.said for f in record.unreproducible)
        source = "its commit" if record.git is not None else "a commit"
        console.print(
            f"  provenance  [yellow]not reproducible from {source}[/]: {escape(said)}", highlight=False
        )
    for name, read in record.inputs.items():  # the datasets it read (jupyter_dsl.dataset)
        modified = " [yellow](local files differed)[/]" if read.get("modified") else ""
        said = f"{name}@v{read.get('version')}" if read.get("version") else name
        console.print(f"  data        {escape(said)} {str(read.get('md5'))[:12]}{modified}", highlight=False)
    if full:
        _print_context(record)
    _print_outcome(record, full)


def _print_context(record: RunRecord) -> None:
    if True:
        if record.environment is not None:
            env = record.environment
            console.print(
                f"  environment Python {env.python}, {len(env.packages)} packages ({env.fingerprint})",
                highlight=False,
            )
        console.print(
            f"  started     {record.started_at}  finished {record.finished_at or '-'}", highlight=False
        )
        if record.rerun_of:
            console.print(f"  rerun of    {record.rerun_of}", highlight=False)
        if record.mlflow_run_id:
            console.print(f"  mlflow run  {record.mlflow_run_id}", highlight=False)


def _print_outcome(record: RunRecord, full: bool) -> None:
    if record.metrics:
        shown = ", ".join(f"{k}={format_value(v)}" for k, v in record.metrics.items())
        console.print(f"  metrics     {escape(shown)}", highlight=False)
    others = [name for name, value in record.values.items() if value.get("kind") != "number"]
    if others:
        console.print(f"  recorded    {escape(', '.join(others))}", highlight=False)
    if record.error is not None:
        where = f"cell {record.error.cell}: " if record.error.cell is not None else ""
        console.print(
            f"  [red]error[/]       {where}{escape(record.error.ename)}: {escape(record.error.evalue)}"
        )
        if full and record.error.traceback:
            console.print("\n".join(record.error.traceback), markup=False, highlight=False)
    if record.artifacts:
        console.print(f"  output      {record.artifacts[0]}", markup=False, highlight=False)
        if full:
            for url in record.artifacts[1:]:
                console.print(f"              {url}", markup=False, highlight=False)
    for warning in record.warnings:
        error_console.print(f"[yellow]warning:[/] {escape(warning)}")


@cli.group(invoke_without_command=True)
@click.option("--notebook", "notebook", type=click.Path(path_type=Path), help="Only runs of this notebook.")
@click.option("--issue", type=ISSUE_NUMBER, help="Only runs of notebooks linked to this issue.")
@click.option("--status", type=click.Choice(STATUSES), help="Only runs with this status.")
@click.option("--batch", "batch_id", help="Only runs of this batch (any unique part of its id).")
@click.option(
    "--where",
    "conditions",
    multiple=True,
    metavar="METRIC>VALUE",
    help="Metric filter, e.g. auc>0.9; data=NAME[@VERSION]: the runs that read that dataset.",
)
@click.option("--limit", type=int, default=None, help="Newest N runs (default 50, all of a --batch); 0: all.")
@click.option(
    "--sort", "sort_key", metavar="METRIC", help="Order by a metric, lowest first; -METRIC: highest."
)
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.option(
    "--sync", is_flag=True, help="First index the runs and batches of the artifact store this index lacks."
)
@json_option
@click.pass_context
def runs(
    ctx: click.Context,
    notebook: Path | None,
    issue: int | None,
    status: str | None,
    batch_id: str | None,
    conditions: tuple[str, ...],
    limit: int | None,
    sort_key: str | None,
    as_csv: bool,
    sync: bool,
    as_json: bool,
) -> None:
    """Recorded runs, newest first: the parameters that differ between them and their metrics.

    `jupyter dsl runs show ID` shows one run in full.
    """
    if ctx.invoked_subcommand is not None:  # `runs --sync show ID`: sync, then the subcommand
        if sync:
            print_sync(index_shared_runs(open_project()), error_console)
        return
    if as_csv and as_json:
        raise InvalidInput("--csv and --json exclude each other")
    project = open_project(resolve_path(notebook).parent if notebook else None)
    query = RunQuery(
        notebook=notebook_key(project, resolve_path(notebook)) if notebook else None,
        status=status,
        issue=issue,
        batch_id=batch_id,
        metrics=[MetricFilter.parse(c) for c in conditions if not c.startswith(DATA_CONDITION)],
        data=[data_condition(c) for c in conditions if c.startswith(DATA_CONDITION)],
        limit=(limit if limit is not None else (0 if batch_id else 50)) or None,
    )
    synced = index_shared_runs(project) if sync else None
    if synced is not None and not as_json:
        print_sync(synced, console if not as_csv else error_console)
    listing = list_runs(project.database_path, query)
    if sort_key:
        listing.table.runs = sort_by_metric(listing.table.runs, sort_key)
    table, total = listing.table, listing.total
    if as_csv:
        click.echo(table.to_csv(), nl=False)
        return

    def human() -> None:
        if not table.runs:
            console.print("no runs match", highlight=False)
            return
        view = Table(box=None, pad_edge=False, header_style="bold")
        for column in table.columns:
            view.add_column(column, overflow="fold")
        rows = table.rows()
        for row in rows:
            view.add_row(*(escape(cell) for cell in row))
        print_table(view, rows, table.columns)
        if total > len(table.runs):
            console.print(f"[dim]{len(table.runs)} of {total} runs; --limit 0 lists all[/]")

    payload = listing.to_json()
    emit(as_json, payload if synced is None else {**payload, "sync": synced.to_json()}, human)


def print_sync(result: SharedRunsResult, out: Console) -> None:
    """What a sync with the artifact store did, in one line, then each file it refused."""
    lines = sync_words(result).splitlines()
    out.print(lines[0], markup=False, highlight=False)
    for line in lines[1:]:
        error_console.print(line, markup=False, highlight=False)


@runs.command("show")
@click.argument("run_id", metavar="ID")
@json_option
def runs_show(run_id: str, as_json: bool) -> None:
    """One run in full: parameters, git, environment, error and traceback, values, artifacts.

    ID is a run id or any part of it that names one run, e.g. its random last part (3f9a1c).
    """
    project = open_project()
    record = show_run(project.database_path, run_id)
    emit(as_json, record.to_json(), lambda: _show(record))


def _show(record: RunRecord) -> None:
    print_record(record, full=True)
    tables = {k: v for k, v in record.values.items() if v.get("kind") not in ("number",)}
    for name, value in tables.items():
        shown = value.get("artifact") or json.dumps(value.get("value"), ensure_ascii=False)[:400]
        console.print(f"  {name} ({value.get('kind')}): {shown}", markup=False, highlight=False)
