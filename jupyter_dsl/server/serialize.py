"""Wire shapes the core has no ``to_json`` for: the template catalogue.

Issues, links and link statuses go out exactly as their own ``to_json()``; nothing here reads a
token or an environment variable, so no secret can reach a response.
"""

from __future__ import annotations

from typing import Any

from ..dslp.issue_types import IssueType
from ..dslp.labels import LABELS, LABELS_BY_NAME
from ..dslp.templates import TEMPLATES


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
