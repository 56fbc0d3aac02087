"""Wire shapes the core has no ``to_json`` for: the project summary and the template catalogue.

Issues, links and link statuses go out exactly as their own ``to_json()``; nothing here reads a
token or an environment variable, so no secret can reach a response.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import gitrepo
from ..lifecycle import LABELS, LABELS_BY_NAME, TEMPLATES, IssueType
from ..project import Project

ApiPath = Callable[[Path], "str | None"]


def project_json(project: Project, api_path: ApiPath) -> dict[str, Any]:
    """Blocking (asks git for the current branch). Paths are API paths; None above the server root."""
    settings = project.settings
    current = gitrepo.current_branch(project.root) if gitrepo.is_repo(project.root) else None
    return {
        "root": api_path(project.root),
        "name": settings.name or project.root.name,
        "config": api_path(project.config_path) if project.config_path else None,
        "tracker": {"kind": settings.tracker.kind, "repo": settings.tracker.repo},
        "branch": {"current": current, "base": settings.branches.base},
    }


def templates_json() -> dict[str, Any]:
    types = []
    for issue_type in IssueType:
        label = LABELS_BY_NAME[issue_type.value]
        types.append(
            {
                "type": issue_type.value,
                "color": label.color,
                "description": label.description,
                "links_ask": issue_type.links_ask,
                "templates": [
                    {
                        "key": template.key,
                        "name": template.name,
                        "title_pattern": template.title_pattern,
                        "sections": template.section_names,
                    }
                    for template in TEMPLATES
                    if template.type is issue_type
                ],
            }
        )
    labels = [
        {"name": label.name, "kind": label.kind, "color": label.color, "description": label.description}
        for label in LABELS
    ]
    return {"types": types, "labels": labels}
