"""`%dsl batch | plot`: a batch in the background with a live widget, and a batch's metric as a chart.

The batch runs in the background of this kernel's run service, which only drives it: every run is
in a fresh kernel process of its own. The display is an ipywidgets box (counts, a bar, failed runs
with their error) whose plain-text form is the same summary, for front ends without widgets.
"""

from __future__ import annotations

import argparse
import functools
import html
import threading
from pathlib import Path
from typing import Any

from ..batch.driver import BatchOptions, BatchOutcome, batch_state, plan_batch
from ..batch.executors import BatchProgress
from ..batch.plot import batch_figure, figure_png
from ..errors import DslError
from ..runs.jobs import Job, Observer
from ..runs.table import shown_values
from .base import (
    MagicArgumentParser,
    MagicSession,
    add_config_arguments,
    add_json_argument,
    add_notebook_argument,
    run_service,
    subcommand,
)
from .hints import magic_error
from .views import TableView


def summary(batch_id: str, progress: BatchProgress) -> str:
    state = (
        "cancelled" if progress.cancelled else ("finished" if progress.done >= progress.total else "running")
    )
    lines = [
        f"batch {batch_id} {state}: {progress.done}/{progress.total} done, {progress.succeeded} succeeded, "
        f"{progress.failed} failed, {len(progress.running)} running"
    ]
    lines += [f"  failed: {shown_values(values)}: {error}" for values, error in progress.failures[-10:]]
    return "\n".join(lines)


class BatchDisplay:
    """The live display of one batch: an ipywidgets box when ipywidgets is installed, else text."""

    def __init__(self, batch_id: str, total: int) -> None:
        from IPython.display import display  # lazy: only inside a kernel

        self.batch_id = batch_id
        self.progress = BatchProgress(total)
        self.error = ""
        self._lock = threading.Lock()
        try:
            import ipywidgets  # lazy: only inside a kernel
        except ImportError:
            self.widget = None
            self.handle = display(_Text(self.text()), display_id=True)
            return
        self.header = ipywidgets.HTML()
        self.bar = ipywidgets.IntProgress(min=0, max=max(total, 1), bar_style="info")
        self.failures = ipywidgets.HTML()
        self.widget = _box_class()(self, [self.header, self.bar, self.failures])
        self._render()
        self.handle = display(self.widget, display_id=True)

    def text(self) -> str:
        error = f"\nerror: {self.error}" if self.error else ""
        return summary(self.batch_id, self.progress) + error

    def update(self, progress: BatchProgress) -> None:
        with self._lock:
            self.progress = progress
            if self.widget is None:
                return
            self._render()

    def _render(self) -> None:
        p = self.progress
        first = html.escape(self.text().splitlines()[0])
        self.header.value = f"<b>{first}</b>"
        self.bar.max, self.bar.value = max(p.total, 1), p.done
        self.bar.bar_style = "danger" if p.failed else ("success" if p.done >= p.total else "info")
        self.failures.value = "".join(
            f"<div>failed: {html.escape(shown_values(values))}: <code>{html.escape(error)}</code></div>"
            for values, error in p.failures[-10:]
        )

    def close(self) -> None:
        """The final state, also as plain text (what a front end without widgets shows)."""
        if self.widget is None:
            self.handle.update(_Text(self.text()))
        else:
            self.handle.update(self.widget)


class _Follow(Observer):
    """Shows a job's progress in the display it is given once the batch started (what came before is
    shown then); the display is closed when the job ends, with its error if it had one."""

    def __init__(self, notebook: Path) -> None:
        self.notebook = notebook
        self._lock = threading.Lock()
        self._display: BatchDisplay | None = None
        self._progress: BatchProgress | None = None
        self._ended: Job | None = None

    def on_progress(self, progress: BatchProgress) -> None:
        with self._lock:
            self._progress, display = progress, self._display
        if display is not None:
            display.update(progress)

    def on_finish(self, job: Job) -> None:
        with self._lock:
            self._ended, display = job, self._display
        if display is not None:
            self._close(display, job)

    def show(self, display: BatchDisplay) -> None:
        with self._lock:
            self._display, progress, ended = display, self._progress, self._ended
        if progress is not None:
            display.update(progress)
        if ended is not None:
            self._close(display, ended)

    def _close(self, display: BatchDisplay, job: Job) -> None:
        if job.error is not None:
            error = job.error
            display.error = magic_error(error, self.notebook) if isinstance(error, DslError) else str(error)
        display.close()


class _Text(str):
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


@functools.cache
def _box_class() -> Any:
    """A VBox whose plain-text form is the batch summary (ipywidgets is imported only when shown)."""
    import ipywidgets  # lazy: only inside a kernel

    class Box(ipywidgets.VBox):  # type: ignore[misc]
        def __init__(self, owner: BatchDisplay, children: list[Any]) -> None:
            super().__init__(children)
            self._owner = owner

        def _repr_mimebundle_(self, **kwargs: Any) -> Any:
            bundle = super()._repr_mimebundle_(**kwargs)
            if isinstance(bundle, dict):
                bundle["text/plain"] = self._owner.text()
            return bundle

    return Box


def _batch_args(parser: MagicArgumentParser) -> None:
    parser.add_argument(
        "grid",
        nargs="?",
        help="The grid file (YAML; looked up as --notebook is); optional with --resume.",
    )
    add_notebook_argument(parser)
    add_config_arguments(parser)
    parser.add_argument("-j", "--jobs", type=int, default=0, help="Runs at once.")
    parser.add_argument("--timeout", type=float, default=None, help="Per-run limit in seconds.")
    parser.add_argument(
        "--resume",
        default=None,
        metavar="BATCH_ID",
        help="Run the sets of this batch (any unique part of its id) that never succeeded.",
    )
    parser.add_argument("--executor", default="", help="local or dask.")
    parser.add_argument("--scheduler", default="", help="The Dask scheduler address.")
    parser.add_argument("--wait", action="store_true", help="Block until the batch is done.")
    add_json_argument(parser)


@subcommand(
    "batch",
    "rerun this notebook over a grid in fresh kernels: %dsl batch GRID.yaml [-j N] [--wait]",
    _batch_args,
)
def batch(session: MagicSession, args: argparse.Namespace) -> Any:
    notebook = session.notebook_or(args.notebook)
    project = session.project(notebook.parent)
    base = Path.cwd()

    def path(text: str) -> Path:
        return Path(text) if Path(text).is_absolute() else base / text

    def plan() -> Any:
        return plan_batch(
            project,
            notebook,
            session.user_file(args.grid, "grid file") if args.grid else None,  # found where --notebook is
            config_files=[path(c) for c in args.config],
            overrides=[(p[0], p[1]) for p in args.parameter],
            resume=args.resume,
        )

    options = BatchOptions(args.jobs, args.timeout, args.executor, args.scheduler)
    follow = _Follow(notebook)
    service = run_service()
    job = service.start_batch(plan, options, observer=follow)  # refused inside a run, before the widget
    follow.show(BatchDisplay(str(job.batch_id), job.total))
    if not args.wait:
        return None
    try:
        while not job.wait(0.2):
            pass
    except KeyboardInterrupt:
        service.cancel(job.id)  # through the store: the driver sees it at its next heartbeat
        job.wait()
    if job.error is not None:
        raise job.error
    result = job.result
    state = result.state if isinstance(result, BatchOutcome) else batch_state(project, str(job.batch_id))
    if args.json:
        return state.to_json()
    rows = [[str(r.position + 1), r.state, shown_values(r.parameters), r.error or ""] for r in state.runs]
    return TableView(f"batch {state.id} {state.status}", ["#", "state", "parameters", "error"], rows)


def _plot_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("--batch", required=True, metavar="ID", help="The batch (any unique part of its id).")
    parser.add_argument("--x", required=True, metavar="PARAM", help="The parameter on the x axis.")
    parser.add_argument("--y", required=True, metavar="METRIC", help="The metric on the y axis.")
    add_notebook_argument(parser)


@subcommand(
    "plot", "a batch's metric against a parameter: %dsl plot --batch ID --x PARAM --y METRIC", _plot_args
)
def plot(session: MagicSession, args: argparse.Namespace) -> Any:
    from IPython.core.display import Image  # lazy: only inside a kernel

    project = session.project(session.notebook_or(args.notebook).parent if args.notebook else None)
    return Image(
        data=figure_png(batch_figure(project.database_path, args.batch, args.x, args.y)), format="png"
    )
