"""Recorded runs: the run record, the SQLite run index, the artifact store, one execution and its
signals, the guard against runs inside runs, the kernel-side ``record`` API, reruns, run tables, MLflow."""

from __future__ import annotations

from .records import FINISHED, STATUSES, RunError, RunRecord
from .store import MetricFilter, RunQuery, RunStore, RunSummary

__all__ = [
    "FINISHED",
    "STATUSES",
    "MetricFilter",
    "RunError",
    "RunQuery",
    "RunRecord",
    "RunStore",
    "RunSummary",
]
