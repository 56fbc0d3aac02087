"""An Experiment in the story: its outcome, its best runs by its metric (with the parameters that
differ between its runs) and a chart of that metric against the parameter that varied most."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..batch.plot import Chart, figure_png
from ..dslp.checklists import section_text
from ..runs.records import RunRecord
from ..runs.store import RunSummary
from ..runs.table import format_value, metric_names, sort_by_metric, varying_parameters
from ..trackers import Issue
from .model import Experiment, Figure, Link, RunView

if TYPE_CHECKING:
    from matplotlib.figure import Figure as _Figure

BEST = 5  # runs shown per experiment
KEPT_CHARTS = 512  # charts kept drawn under .dsl/story-cache/
_LOWER_IS_BETTER = re.compile(r"loss|err|rmse|mse|mae|mape|time|duration|latency|cost", re.IGNORECASE)
_TLDR = re.compile(r"^\W*TL;?DR\W*[ \t]*(?P<text>.+)$", re.IGNORECASE | re.MULTILINE)


def chosen_metric(issue: Issue, runs: list[RunSummary]) -> str | None:
    """The metric the issue's ``## Metrics`` names (the first of its runs' metrics it mentions), else
    the first metric its runs recorded."""
    names = metric_names(runs)
    said = section_text(issue.body, "Metrics")
    mentioned = [n for n in names if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", said)]
    found = mentioned or names
    return found[0] if found else None


def higher_is_better(metric: str, said: str) -> bool:
    if re.search(r"lower is better|minimi[sz]e", said, re.IGNORECASE):
        return False
    if re.search(r"higher is better|maximi[sz]e", said, re.IGNORECASE):
        return True
    return _LOWER_IS_BETTER.search(metric) is None


def varied_most(runs: list[RunSummary], names: list[str]) -> str | None:
    """Of ``names``, the parameter with the most distinct values (numbers only: a chart's x axis)."""
    counts: dict[str, int] = {}
    for name in names:
        values = [run.used_parameters.get(name) for run in runs]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            counts[name] = len({(type(v), v) for v in values})  # 1 and 1.0 differ, as in varying()
    return max(counts, key=lambda n: (counts[n], -names.index(n))) if counts else None


def chart_points(runs: list[RunSummary], x: str, y: str, better: bool) -> Chart:
    """Metric ``y`` against parameter ``x``: every run's point, and the best value at each ``x``."""
    points = sorted(
        (
            (run.used_parameters[x], run.metrics[y])
            for run in runs
            if y in run.metrics and x in run.used_parameters
        ),
        key=lambda p: float(p[0]),
    )
    best: dict[float, float] = {}
    for value, metric in points:
        key = float(value)
        best[key] = (max if better else min)(best.get(key, metric), metric)
    return Chart(x, y, f"{y} by {x}", {"runs": list(points), "best": sorted(best.items())})


def chart_figure(chart: Chart) -> _Figure:
    """Each run a dot, the best at each value a line (one line, however many parameters vary)."""
    from matplotlib.figure import Figure  # lazy: matplotlib costs ~0.3 s, only when charting

    figure = Figure(figsize=(6.4, 3.6))
    figure.subplots_adjust(left=0.11, right=0.97, top=0.9, bottom=0.14)  # a fixed layout: a third faster
    axes = figure.add_subplot()
    runs = chart.lines["runs"]
    axes.scatter([p[0] for p in runs], [p[1] for p in runs], s=12, alpha=0.35, label="a run")
    best = chart.lines["best"]
    axes.plot([p[0] for p in best], [p[1] for p in best], marker="o", color="C1", label="best")
    axes.set_xlabel(chart.x)
    axes.set_ylabel(chart.y)
    axes.set_title(chart.title)
    axes.legend(fontsize="small")
    axes.grid(visible=True, alpha=0.3)
    return figure


def chart_png(chart: Chart, cache: Path | None) -> bytes:
    """The chart as PNG; drawn once per distinct chart when ``cache`` (a folder) is given."""
    key = hashlib.sha256(json.dumps(chart.to_json(), sort_keys=True, default=str).encode()).hexdigest()
    cached = cache / f"chart-{key[:32]}.png" if cache is not None else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    data = figure_png(chart_figure(chart))
    if cached is not None:
        from ..findings.render import _write_bytes_atomic  # the findings export's atomic write

        cached.parent.mkdir(parents=True, exist_ok=True)
        _write_bytes_atomic(cached, data)
        _prune(cached.parent)
    return data


def _modified(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:  # pruned by another story being written at the same time
        return 0


def _prune(cache: Path) -> None:
    """Keep the ``KEPT_CHARTS`` newest charts: one is drawn again for every new run of an experiment."""
    charts = sorted(cache.glob("chart-*.png"), key=_modified)
    for old in charts[:-KEPT_CHARTS]:
        old.unlink(missing_ok=True)


def outcome_of(issue: Issue) -> str | None:
    return next((label for label in ("succeeded", "failed") if label in issue.labels), None)


def build_experiment(
    issue: Issue,
    runs: list[RunSummary],
    record_of: Callable[[str], RunRecord],
    run_links: Callable[[RunRecord], list[Link]],
    cache: Path | None,
) -> Experiment:
    """``runs``: every run of the issue; ``record_of`` reads a run's full record (for its links)."""
    results = section_text(issue.body, "Results")
    tldr = _TLDR.search(results)
    done = [run for run in runs if run.status == "succeeded"]
    metric = chosen_metric(issue, done)
    better = higher_is_better(metric, section_text(issue.body, "Metrics")) if metric else True
    varying = varying_parameters(done, used=True) if len(done) > 1 else []
    best: list[RunView] = []
    chart: Figure | None = None
    x = None
    if metric is not None:
        ranked = [r for r in sort_by_metric(done, f"-{metric}" if better else metric) if metric in r.metrics]
        for run in ranked[:BEST]:
            record = record_of(run.id)
            best.append(
                RunView(
                    run.id,
                    run.status,
                    run.started_at[:19].replace("T", " "),
                    {n: format_value(run.used_parameters[n]) for n in varying if n in run.used_parameters},
                    {n: format_value(v) for n, v in run.metrics.items()},
                    run_links(record),
                )
            )
        x = varied_most(done, varying)
        if x is not None:
            points = chart_points(done, x, metric, better)
            if len(points.lines["best"]) > 1:
                points.title = f"#{issue.number}: {points.title}"
                sources = [Link(f"#{issue.number}", "issue")] + [
                    link for link in (best[0].links if best else []) if link.kind == "notebook"
                ]
                alt = f"{metric} against {x} over the {len(done)} succeeded runs of #{issue.number}"
                chart = Figure(
                    f"issue-{issue.number}-chart.png", "image/png", chart_png(points, cache), alt, sources
                )
    failed = sum(1 for run in runs if run.status == "failed")
    return Experiment(
        outcome_of(issue),
        tldr["text"].strip() if tldr else "",
        metric,
        better,
        varying,
        best,
        len(runs),
        failed,
        chart,
        x,
    )
