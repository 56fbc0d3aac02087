"""Model versions: saved inside a run into the data store (DVC's cache layout), each with a semantic
version, its run (parameters, metrics, issue) and aliases such as ``production``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..project.settings import Project

__all__ = ["versions_for_issue"]


def versions_for_issue(project: Project, number: int) -> list[dict[str, Any]]:
    """The versions tied to issue ``number`` (what the story of an Ask lists); imported when asked,
    so that a run reading a dataset does not load the listing."""
    from ..data.linked_versions import issue_versions

    found = issue_versions(project, number).models
    return [{**row, "run": (row.get("run") or {}).get("id")} for row in found]
