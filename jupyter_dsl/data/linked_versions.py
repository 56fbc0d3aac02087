"""The versions tied to an issue or made by a run, as the sidebar lists them: a Data issue's dataset
versions with the runs that read each, the model versions made by runs of an issue, the models a run
saved. Built from ``data.listing.datasets``, ``models.listing.list_models`` and the run index."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..project.settings import Project
from ..runs.store import RunQuery, RunStore, RunSummary
from .listing import datasets

RUNS_LISTED = 20  # the runs named per dataset version (newest first)


@dataclass
class LinkedVersions:
    datasets: list[dict[str, Any]] = field(default_factory=list)  # VersionInfo + "runs" that read it
    models: list[dict[str, Any]] = field(default_factory=list)  # list_models rows

    def to_json(self) -> dict[str, Any]:
        return {"datasets": self.datasets, "models": self.models}


def _run(summary: RunSummary) -> dict[str, Any]:
    return {"id": summary.id, "status": summary.status, "notebook": summary.notebook}


def _run_issue(row: dict[str, Any]) -> int | None:
    issue = (row.get("run") or {}).get("issue") or {}
    number = issue.get("number")
    return number if isinstance(number, int) else None


def _models(project: Project) -> list[dict[str, Any]]:
    from ..models.listing import list_models  # models import the data store; only when listed

    return list_models(project)


def issue_versions(project: Project, number: int) -> LinkedVersions:
    """The dataset versions tied to issue ``number`` (``data add --issue``) with the runs that read each,
    and the model versions saved by runs of that issue."""
    found = LinkedVersions()
    with RunStore(project.database_path) as runs:
        for dataset in datasets(project):
            for version in dataset.versions:
                if version.issue == number:
                    query = RunQuery(data=[(version.name, version.version)], limit=RUNS_LISTED)
                    found.datasets.append({**version.to_json(), "runs": [_run(s) for s in runs.query(query)]})
    found.models = [
        row for row in _models(project) if ((row.get("run") or {}).get("issue") or {}).get("number") == number
    ]
    return found


def run_versions(project: Project, run_id: str) -> LinkedVersions:
    """The model versions run ``run_id`` saved (its inputs are in its record)."""
    return LinkedVersions(models=[row for row in _models(project) if row.get("run_id") == run_id])
