"""A list of runs as a table: only the parameters that differ between the listed runs, plus metrics.

One model for every surface: the CLI prints it (or writes CSV/JSON), magics show it as HTML.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidInput
from .records import canonical_json
from .store import RunSummary

_MISSING = object()


def format_value(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str):
        return value
    return canonical_json(value)


def shown_values(values: Mapping[str, Any], names: Sequence[str] | None = None) -> str:
    """A parameter set as ``name=value`` pairs (of ``names`` only, when given), as every list shows it."""
    keys = list(values) if names is None else names
    return " ".join(f"{key}={format_value(values[key])}" for key in keys if key in values)


def varying_parameters(runs: list[RunSummary], *, used: bool = False) -> list[str]:
    """Parameter names whose value is not the same in every run (all of them for a single run).
    ``used``: compare the values the runs used (their defaults too), not only those they were given."""
    return varying([run.used_parameters if used else run.parameters for run in runs])


def varying(sets: Sequence[Mapping[str, Any]]) -> list[str]:
    """The names whose value is not the same in every parameter set (all of them for a single set), in
    the order they first appear. The one rule every surface uses: values are equal when their canonical
    JSON is (``1`` and ``1.0`` differ, key order does not matter), and a set without the name differs
    from one with it."""
    names: list[str] = []
    for values in sets:
        names += [n for n in values if n not in names]
    if len(sets) <= 1:
        return names
    return [
        name for name in names if len({canonical_json(values.get(name, "\0missing")) for values in sets}) > 1
    ]


def sort_by_metric(runs: list[RunSummary], key: str) -> list[RunSummary]:
    """Runs ordered by a metric, lowest first (``-auc``: highest first); runs without it last."""
    name = key.removeprefix("-")
    if runs and name not in metric_names(runs):
        raise InvalidInput(
            f"cannot sort by {key!r}: no listed run has the metric {name!r}",
            hint=f"Metrics: {', '.join(metric_names(runs)) or 'none'}; -NAME sorts highest first.",
        )
    having = [run for run in runs if name in run.metrics]
    having.sort(key=lambda run: run.metrics[name], reverse=key.startswith("-"))
    return having + [run for run in runs if name not in run.metrics]


def metric_names(runs: list[RunSummary]) -> list[str]:
    names: list[str] = []
    for run in runs:
        names += [n for n in run.metrics if n not in names]
    return names


@dataclass
class RunsTable:
    runs: list[RunSummary]
    parameters: list[str]
    metrics: list[str]
    show_notebook: bool

    @classmethod
    def of(cls, runs: list[RunSummary]) -> RunsTable:
        notebooks = {run.notebook for run in runs}
        return cls(runs, varying_parameters(runs), metric_names(runs), len(notebooks) > 1)

    @property
    def columns(self) -> list[str]:
        head = [
            "id",
            *(["notebook"] if self.show_notebook else []),
            "status",
            "started",
            "duration_s",
            "issue",
        ]
        return head + self.parameters + self.metrics

    def row(self, run: RunSummary) -> list[str]:
        cells = [
            run.id,
            *([run.notebook] if self.show_notebook else []),
            run.status,
            run.started_at[:19].replace("T", " "),
        ]
        cells.append("" if run.duration_s is None else f"{run.duration_s:.2f}")
        cells.append("" if run.issue is None else f"#{run.issue}")
        cells += [format_value(run.parameters[n]) if n in run.parameters else "" for n in self.parameters]
        cells += [format_value(run.metrics[n]) if n in run.metrics else "" for n in self.metrics]
        return cells

    def rows(self) -> list[list[str]]:
        return [self.row(run) for run in self.runs]

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        header = ["id", "notebook", "status", "started_at", "duration_s", "issue"]
        header += [f"param:{n}" for n in self.parameters] + [f"metric:{n}" for n in self.metrics]
        writer.writerow(header)
        for run in self.runs:
            line: list[Any] = [run.id, run.notebook, run.status, run.started_at, run.duration_s, run.issue]
            line += [format_value(run.parameters[n]) if n in run.parameters else "" for n in self.parameters]
            line += [run.metrics.get(n, "") for n in self.metrics]
            writer.writerow(line)
        return buffer.getvalue()

    def to_json(self) -> dict[str, Any]:
        return {
            "runs": [run.to_json() for run in self.runs],
            "varying_parameters": self.parameters,
            "metrics": self.metrics,
        }
