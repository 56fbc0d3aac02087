"""GitLab REST API v4 JSON <-> the tracker's types, and the few GitLab spellings (``#rrggbb``, ``!N``).

Pure functions: no I/O. Issue numbers are GitLab ``iid``s (the ``#12`` of the web page), not ``id``s.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from ..errors import ConfigError, InvalidInput
from .base import Comment, Issue, Label, PullRequest, State

DEFAULT_API_URL = "https://gitlab.com/api/v4"
NOT_PLANNED_NOTE = "Closed as not planned"

_PROJECT_PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)+")
_HEX = re.compile(r"[0-9a-fA-F]{6}")
_SHORT_HEX = re.compile(r"[0-9a-fA-F]{3}")
_DRAFT = re.compile(r"^\s*(?:\[draft\]|\(draft\)|draft:|draft\s+-\s)", re.IGNORECASE)
# ``***Related PR:*** !7``, ``#7`` or the merge request's address, edited by hand or not
_RELATED_PR = re.compile(
    r"^[ \t>*+-]*[*_]*related[ \t]+(?:pr|mr|merge[ \t]+request)[*_]*:?[*_]*:?[ \t]*"
    r"(?:[!#](?P<number>\d+)|<?https?://\S*?/merge_requests/(?P<url_number>\d+))(?!\w)",
    re.IGNORECASE | re.MULTILINE,
)
_FRACTION = re.compile(r"\.\d+(?=Z$|[+-]\d\d:\d\d$)")


def api_base(api_url: str) -> str:
    """The API v4 root: ``api_url`` as given, with ``/api/v4`` added when it names only the instance."""
    url = (api_url or DEFAULT_API_URL).strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(
            f"dsl.toml: [tracker] api_url {api_url!r} is not an http(s) address",
            hint='Use the instance\'s API root, e.g. api_url = "https://gitlab.example.com/api/v4".',
        )
    return url if url.endswith("/api/v4") else f"{url}/api/v4"


def web_root(api_url: str) -> str:
    """The instance's web root: ``https://gitlab.example.com`` for ``https://gitlab.example.com/api/v4``."""
    return api_base(api_url).removesuffix("/api/v4")


def project_id(project: str) -> str:
    """The project as one URL path segment: a numeric id as is, ``group/sub/name`` URL-encoded."""
    name = project.strip().strip("/")
    if name.isdigit():
        return name
    if not _PROJECT_PATH.fullmatch(name):
        raise ConfigError(
            f"dsl.toml: [tracker] project {project!r} is not a GitLab project",
            hint='Give its path with its group, project = "group/name", or its numeric id.',
        )
    return quote(name, safe="")


def label_name(name: str) -> str:
    """A label as GitLab parameters carry it: comma-separated lists cannot hold a comma."""
    clean = name.strip()
    if not clean:
        raise InvalidInput("a label cannot be empty")
    if "," in clean:
        raise InvalidInput(f"label {clean!r} contains a comma, which GitLab cannot take in a label list")
    return clean


def to_gitlab_color(color: str) -> str:
    """``c9ecff`` (the Label type's 6 hex digits) -> ``#c9ecff``, as GitLab wants it."""
    digits = color.strip().removeprefix("#")
    if not _HEX.fullmatch(digits):
        raise InvalidInput(f"label colour {color!r} is not 6 hex digits", hint="For example: c9ecff.")
    return f"#{digits.lower()}"


def from_gitlab_color(color: str | None) -> str:
    """GitLab's ``#C9ECFF`` (or short ``#abc``) -> ``c9ecff``; any other spelling -> "" (unknown)."""
    digits = (color or "").strip().removeprefix("#")
    if _SHORT_HEX.fullmatch(digits):
        digits = "".join(c * 2 for c in digits)
    return digits.lower() if _HEX.fullmatch(digits) else ""


def draft_title(title: str, draft: bool) -> str:
    """GitLab marks a merge request as a draft by a ``Draft:`` title prefix."""
    return f"Draft: {title}" if draft and not _DRAFT.match(title) else title


def related_merge_request(body: str) -> int | None:
    """The merge request an issue's ``Related PR`` line names (``!7``, ``#7`` or its address)."""
    text = _without_fenced_code(body or "")
    match = _RELATED_PR.search(text)
    return int(match["number"] or match["url_number"]) if match else None


def _without_fenced_code(body: str) -> str:
    kept: list[str] = []
    fence: str | None = None
    for line in body.splitlines():
        stripped = line.lstrip()
        marker = stripped[:3] if stripped.startswith(("```", "~~~")) else None
        if marker and (fence is None or marker == fence):
            fence = marker if fence is None else None
            kept.append("")
        else:
            kept.append("" if fence else line)
    return "\n".join(kept)


def _time(value: Any) -> str:
    """GitLab's ``2026-01-04T15:31:51.081Z`` as ``2026-01-04T15:31:51Z`` (the local tracker's form)."""
    return _FRACTION.sub("", str(value)) if value else ""


def _state(value: Any) -> State:
    return "open" if value == "opened" else "closed"


def _user(value: Any) -> str:
    return str(value.get("username") or "") if isinstance(value, dict) else ""


def issue_of(data: dict[str, Any]) -> Issue:
    labels = data.get("labels") or []
    return Issue(
        tracker="gitlab",
        number=int(data["iid"]),
        title=str(data.get("title") or ""),
        body=str(data.get("description") or ""),
        state=_state(data.get("state")),
        labels=tuple(str(lab["name"] if isinstance(lab, dict) else lab) for lab in labels),
        url=str(data.get("web_url") or ""),
        state_reason=None,  # GitLab keeps no close reason (not_planned is a note, see close())
        created_at=_time(data.get("created_at")),
        updated_at=_time(data.get("updated_at")),
        closed_at=_time(data.get("closed_at")) or None,
        author=_user(data.get("author")),
        comments=int(data.get("user_notes_count") or 0),
    )


def comment_of(data: dict[str, Any], issue: int, issue_url: str = "") -> Comment:
    return Comment(
        id=int(data["id"]),
        issue=issue,
        body=str(data.get("body") or ""),
        author=_user(data.get("author")),
        created_at=_time(data.get("created_at")),
        url=f"{issue_url}#note_{data['id']}" if issue_url else "",
    )


def pull_of(data: dict[str, Any]) -> PullRequest:
    state = data.get("state")
    return PullRequest(
        number=int(data["iid"]),
        state=_state(state),
        merged=state == "merged",
        url=str(data.get("web_url") or ""),
    )


def label_of(data: dict[str, Any]) -> Label:
    return Label(
        name=str(data["name"]),
        color=from_gitlab_color(data.get("color")),
        description=str(data.get("description") or ""),
    )
