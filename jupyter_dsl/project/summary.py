"""What `jupyter dsl status` (no notebook) and ``GET /jupyter-dsl/project`` show of a project."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dslp.branches import parse_branch
from ..notebook.document import NotebookLink
from ..notebook.links import linked_notebooks
from ..trackers import IssueQuery, Tracker
from . import gitrepo
from .settings import Project

PathOf = Callable[[Path], "str | None"]


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    current_branch: str | None
    branch_issue: int | None  # the issue number the current DSLP branch names
    open_issues: dict[str, int] | None  # open issues per type ("other": untyped); None: not asked
    notebooks: list[tuple[str, NotebookLink]] | None  # (path relative to the root, link); None: not asked
    offline_as_of: str | None = None  # the tracker answered from its cache (forge unreachable): as of when

    def to_json(self, path_of: PathOf = str) -> dict[str, Any]:
        """``path_of`` shows the root and dsl.toml (the server gives API paths: None above its root)."""
        project, settings = self.project, self.project.settings
        data: dict[str, Any] = {
            "root": path_of(project.root),
            "name": settings.name or project.root.name,
            "config": path_of(project.config_path) if project.config_path else None,
            "tracker": {
                "kind": settings.tracker.kind,
                "repo": settings.tracker.repo or settings.tracker.project,
            },
            "offline_as_of": self.offline_as_of,
            "branch": {
                "current": self.current_branch,
                "base": settings.branches.base,
                "issue": self.branch_issue,
            },
        }
        if self.open_issues is not None:
            data["open_issues"] = self.open_issues
        if self.notebooks is not None:
            data["notebooks"] = [
                {"path": path, "issue": link.issue.number, "type": link.issue.type, "status": link.status}
                for path, link in self.notebooks
            ]
        return data


def summarize(project: Project, tracker: Tracker | None = None) -> ProjectSummary:
    """The project's config and git branch; with ``tracker``, also its open issues per type and its
    linked notebooks (that walks the project's folders). Blocking (git, the tracker, the disk)."""
    current = gitrepo.current_branch(project.root) if gitrepo.is_repo(project.root) else None
    parsed = parse_branch(current) if current else None
    counts: dict[str, int] | None = None
    linked: list[tuple[str, NotebookLink]] | None = None
    if tracker is not None:
        counts = {}
        for item in tracker.list(IssueQuery(state="open")):
            key = item.type.value if item.type else "other"
            counts[key] = counts.get(key, 0) + 1
        linked = linked_notebooks(project.root)
    offline = tracker.offline_as_of if tracker is not None else None
    return ProjectSummary(project, current, parsed.number if parsed else None, counts, linked, offline)
