"""`%dsl record | runs | run`: recorded runs from inside a notebook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..notebook import parameters
from ..runs import STATUSES, MetricFilter, RunQuery, RunRecord, recording
from ..runs.execute import plan_run
from ..runs.inside_run import current_run
from ..runs.listing import list_runs
from ..runs.shared import index_shared_runs, sync_words
from ..runs.store import notebook_key
from ..runs.table import format_value
from .base import (
    MagicArgumentParser,
    MagicSession,
    add_config_arguments,
    add_json_argument,
    add_notebook_argument,
    issue_number,
    run_service,
    subcommand,
)
from .views import TableView


def _record_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("name", help="The name of the value.")
    parser.add_argument("value", nargs="+", help="The value, read as YAML (3, 0.91, true, [1, 2], text).")


@subcommand("record", "record a value for this run: %dsl record NAME VALUE", _record_args)
def record(session: MagicSession, args: argparse.Namespace) -> None:
    text = " ".join(args.value)
    value = parameters.parse_scalar(text)
    if not isinstance(value, (int, float, str, bool, list, dict)) and value is not None:
        value = text
    recording.record(args.name, value)
    if current_run() is None:
        print(
            f"not in a recorded run: {args.name} will be recorded only when the notebook runs via "
            "`%dsl run`, a batch or the sidebar's Run"
        )


def _runs_args(parser: MagicArgumentParser) -> None:
    add_notebook_argument(parser)
    parser.add_argument("--all", action="store_true", help="Runs of every notebook of the project.")
    parser.add_argument("--status", choices=STATUSES, help="Only runs with this status.")
    parser.add_argument("--issue", type=issue_number("--issue"), help="Only runs linked to this issue.")
    parser.add_argument("--where", action="append", default=[], metavar="METRIC>VALUE", help="Metric filter.")
    parser.add_argument("--limit", type=int, default=20, help="Newest N runs (default 20; 0: all).")
    parser.add_argument(
        "--sync", action="store_true", help="First index the runs of the artifact store this index lacks."
    )
    add_json_argument(parser)


@subcommand("runs", "recorded runs of this notebook: differing parameters and metrics", _runs_args)
def runs(session: MagicSession, args: argparse.Namespace) -> Any:
    notebook: Path | None = None if args.all else session.notebook_or(args.notebook)
    project = session.project(notebook.parent if notebook else None)
    query = RunQuery(
        notebook=notebook_key(project, notebook) if notebook else None,
        status=args.status,
        issue=args.issue,
        metrics=[MetricFilter.parse(w) for w in args.where],
        limit=args.limit or None,
    )
    synced = index_shared_runs(project) if args.sync else None
    listing = list_runs(project.database_path, query)
    if args.json:
        return listing.to_json() if synced is None else {**listing.to_json(), "sync": synced.to_json()}
    if synced is not None:
        print(sync_words(synced))
    table, total = listing.table, listing.total
    title = f"runs of {query.notebook}" if query.notebook else f"runs of {project.root.name}"
    footer = f"{len(table.runs)} of {total} runs" if total > len(table.runs) else ""
    return TableView(title, table.columns, table.rows(), "no runs recorded yet: %dsl run", footer)


def _run_args(parser: MagicArgumentParser) -> None:
    add_notebook_argument(parser)
    add_config_arguments(parser)
    parser.add_argument("--kernel", default=None, help="Kernel name (default: the notebook's).")
    add_json_argument(parser)


def record_view(record: RunRecord) -> TableView:
    rows = [["status", record.status], ["notebook", record.notebook]]
    rows += [[f"parameter {k}", format_value(v)] for k, v in record.parameters.items()]
    rows += [[f"metric {k}", format_value(v)] for k, v in record.metrics.items()]
    if record.error is not None:
        where = f"cell {record.error.cell}: " if record.error.cell is not None else ""
        rows.append(["error", f"{where}{record.error.ename}: {record.error.evalue}"])
    if record.artifacts:
        rows.append(["output", record.artifacts[0]])
    rows += [["warning", w] for w in record.warnings]
    took = f" in {record.duration_s:.2f} s" if record.duration_s is not None else ""
    return TableView(f"run {record.id} {record.status}{took}", ["", ""], rows)


@subcommand(
    "run", "run the saved notebook in a fresh kernel and record it: %dsl run [-f F] [-p N V]", _run_args
)
def run(session: MagicSession, args: argparse.Namespace) -> Any:
    notebook = session.notebook_or(args.notebook)
    project = session.project(notebook.parent)
    base = Path.cwd()
    configs = [Path(c) if Path(c).is_absolute() else base / c for c in args.config]
    overrides = [(p[0], p[1]) for p in args.parameter]

    def plan() -> Any:
        return plan_run(project, notebook, config_files=configs, overrides=overrides, kernel=args.kernel)

    job = run_service().start_run(plan, foreground=True)  # synchronous, as a cell is
    record = job.result
    assert isinstance(record, RunRecord)  # a foreground run that returned is recorded
    return record.to_json(packages=False) if args.json else record_view(record)
