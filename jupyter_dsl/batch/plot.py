"""A batch's metric against one parameter: one line per combination of the other varying parameters.

Built on ``matplotlib.figure.Figure`` (no pyplot, no GUI backend, safe in any thread); the CLI saves
it as PNG, the magic shows it inline.
"""

from __future__ import annotations

import io
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import hints
from ..errors import InvalidInput
from ..runs.records import canonical_json
from ..runs.store import RunQuery, RunStore, RunSummary
from ..runs.table import format_value, metric_names, varying_parameters
from .state import BatchStore

if TYPE_CHECKING:
    from matplotlib.figure import Figure

UNKNOWN_DEFAULT = "default"  # a parameter a run was not given, recorded before runs kept their defaults


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _series(runs: list[RunSummary], x: str, y: str) -> dict[str, list[tuple[Any, float]]]:
    """Label of the other parameters' values -> (x value, metric) points, in x order. Values are those
    each run used: a parameter it was not given shows its default (a run recorded before defaults were
    kept shows "default")."""
    others = [name for name in varying_parameters(runs, used=True) if name != x]
    lines: dict[str, list[tuple[Any, float]]] = {}
    for run in runs:
        used = run.used_parameters
        if y not in run.metrics or x not in used:
            continue
        label = ", ".join(f"{n}={format_value(used[n]) if n in used else UNKNOWN_DEFAULT}" for n in others)
        lines.setdefault(label, []).append((used[x], run.metrics[y]))
    numeric = all(_number(v) is not None for points in lines.values() for v, _ in points)
    for points in lines.values():
        if numeric:
            points.sort(key=lambda p: _number(p[0]) or 0.0)
    return lines


@dataclass
class Chart:
    """A metric against a parameter: the points of each line (label: the other parameters' values)."""

    x: str
    y: str
    title: str
    lines: dict[str, list[tuple[Any, float]]]

    def to_json(self) -> dict[str, Any]:
        return {
            "x": self.x,
            "y": self.y,
            "title": self.title,
            "series": [
                {"label": label, "points": [list(p) for p in points]} for label, points in self.lines.items()
            ],
        }


def chart_data(database: Path, query: RunQuery, x: str, y: str, what: str = "") -> Chart:
    """Metric ``y`` against parameter ``x`` over the succeeded runs ``query`` finds (``what`` names
    them in messages and the title, e.g. a notebook). A batch (``query.batch_id``: its id or any unique
    part of it; ``NotFound`` when there is no such batch) is named "batch ID" by its full id."""
    with RunStore(database) as store:
        if query.batch_id is not None:
            batch_id = BatchStore(store).find_id(query.batch_id)
            query, what = replace(query, batch_id=batch_id), f"batch {batch_id}"
        runs = store.query(replace(query, status="succeeded", limit=None))
    if not runs:
        raise InvalidInput(
            f"{what} has no succeeded runs to plot",
            hint=hints.list_runs(query.batch_id) if query.batch_id else hints.list_runs(),
        )
    names = sorted({n for run in runs for n in run.used_parameters})
    if x not in names:
        raise InvalidInput(
            f"the x axis {x!r} is not a parameter of {what}", hint=f"Parameters: {', '.join(names)}."
        )
    metrics = metric_names(runs)
    if y not in metrics:
        raise InvalidInput(
            f"the y axis {y!r} is not a metric of {what}",
            hint=f"Metrics: {', '.join(metrics) or 'none recorded (jupyter_dsl.record(name, number))'}.",
        )
    lines = _series(runs, x, y)
    return Chart(x, y, f"{y} by {x} ({what})", {label: lines[label] for label in sorted(lines)})


def chart_figure(chart: Chart) -> Figure:
    from matplotlib.figure import Figure  # lazy: matplotlib costs ~0.3 s, only when charting

    figure = Figure(figsize=(7, 4.5), layout="constrained")
    axes = figure.add_subplot()
    for label, points in chart.lines.items():
        xs = [p[0] if _number(p[0]) is not None else format_value(p[0]) for p in points]
        if any(isinstance(v, (list, dict)) for v in xs):
            xs = [canonical_json(v) for v in xs]
        axes.plot(xs, [p[1] for p in points], marker="o", label=label or None)
    axes.set_xlabel(chart.x)
    axes.set_ylabel(chart.y)
    axes.set_title(chart.title)
    if len(chart.lines) > 1 or next(iter(chart.lines), ""):
        axes.legend(fontsize="small")
    axes.grid(visible=True, alpha=0.3)
    return figure


def batch_figure(database: Path, batch_id: str, x: str, y: str) -> Figure:
    """The chart of metric ``y`` against parameter ``x`` over the batch's succeeded runs (``batch_id``:
    its id or any unique part of it)."""
    return chart_figure(chart_data(database, RunQuery(batch_id=batch_id), x, y))


def figure_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def save_figure(figure: Figure, path: Path) -> None:
    """Write the PNG atomically (a temporary file beside it, then a rename)."""
    target = path.resolve()
    tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        tmp.write_bytes(figure_png(figure))
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
