"""The versions tied to one issue: a Data issue's dataset versions (``data add --issue N``), a Model or
Experiment issue's model versions (saved by a run of a notebook linked to it). What the story of an
Ask and the sidebar's Issue section list."""

from __future__ import annotations

from typing import Any

from ..project.settings import Project
from .listing import datasets


def dataset_versions_for_issue(project: Project, number: int) -> list[dict[str, Any]]:
    """Every tagged dataset version whose ``--issue`` was ``number``, oldest first."""
    return [
        {**version.to_json(), "created_at": version.tagged_at}
        for dataset in datasets(project)
        for version in dataset.versions
        if version.issue == number
    ]


def model_versions_for_issue(project: Project, number: int) -> list[dict[str, Any]]:
    """Every model version made by a run of issue ``number`` (as the run index has it), oldest first."""
    from ..models.listing import list_models  # the model registry opens the data store

    found = []
    for row in list_models(project):
        run = row.get("run") or {}
        issue = run.get("issue") or {}
        if issue.get("number") == number:
            found.append({**row, "run": run.get("id")})
    return found
