"""``jupyter dsl models [NAME]``: each version with its aliases and the run that made it (its
parameters, metrics and issue, from the run index)."""

from __future__ import annotations

from typing import Any

from ..data.cache import open_store
from ..errors import NotFound
from ..project.settings import Project
from ..runs.store import RunStore
from .registry import ModelRegistry


def list_models(project: Project, name: str | None = None) -> list[dict[str, Any]]:
    registry = ModelRegistry(open_store(project))
    rows: list[dict[str, Any]] = []
    with RunStore(project.database_path) as runs:
        for each in [name] if name else registry.names():
            aliases = registry.aliases(each)
            for version in registry.versions(each):
                row = version.to_json()
                row["aliases"] = sorted(a for a, v in aliases.items() if v == version.version)
                row["run"] = None
                if version.run_id:
                    try:
                        record = runs.get(version.run_id)
                    except NotFound:
                        pass  # a run recorded elsewhere (another clone's index)
                    else:
                        issue = record.issue
                        row["run"] = {
                            "id": record.id,
                            "status": record.status,
                            "parameters": record.parameters,
                            "metrics": record.metrics,
                            "issue": {"number": issue.number, "type": issue.type} if issue else None,
                        }
                rows.append(row)
    return rows


def set_alias(project: Project, ref: str, alias: str) -> None:
    name, _, version = ref.partition("@")
    if not version:
        raise NotFound(f"{ref}: name the version, NAME@X.Y.Z")
    ModelRegistry(open_store(project)).set_alias(name, version.removeprefix("v"), alias)
