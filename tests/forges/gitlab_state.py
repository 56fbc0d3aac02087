"""The in-memory GitLab project behind tests/forges/gitlab_server.py, and the JSON GitLab returns for it.

Shapes follow GitLab's REST API v4 documentation (issues, notes, labels, merge requests): issues are
numbered by ``iid``, ``state`` is ``opened``/``closed`` (merge requests also ``merged``), ``labels`` are
names, label colors are ``#rrggbb``, ``description`` may be ``null``, and title and description edits
leave *system* notes next to the users' notes, as GitLab does (label and state changes are resource
events there, not notes).
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

DEFAULT_LABEL_COLOR = "#6699cc"  # what GitLab gives a label it creates on the fly
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class ApiError(Exception):
    """A GitLab error response: ``status`` and the JSON body GitLab sends with it."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


def not_found(what: str = "Not found") -> ApiError:
    return ApiError(404, {"message": f"404 {what}"})


@dataclass
class GitLabProject:
    """One project: its labels, issues (by iid), notes (by issue iid) and merge requests (by iid).

    Every mutation goes through a method here, under one lock, so the server's threads see whole changes.
    """

    path: str = "data-team/churn"
    id: int = 4242
    web_root: str = "http://gitlab.invalid"  # the server sets its own address on start
    user: str = "dsl-bot"
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    merge_requests: dict[int, dict[str, Any]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000), repr=False)

    @property
    def web_url(self) -> str:
        return f"{self.web_root}/{self.path}"

    def _author(self) -> dict[str, Any]:
        return {"id": 7, "username": self.user, "name": "DSL Bot", "state": "active"}

    # -- labels --------------------------------------------------------------------------------

    def add_label(self, name: str, color: str = DEFAULT_LABEL_COLOR, description: str = "") -> dict[str, Any]:
        with self.lock:
            if not name.strip():
                raise ApiError(400, {"message": {"title": ["can't be blank"]}})
            if not _COLOR.match(color):
                raise ApiError(400, {"message": {"color": ["must be a valid color code"]}})
            if name in self.labels:
                raise ApiError(409, {"message": "Label already exists"})
            label = {"id": next(self._ids), "name": name, "color": color.lower(), "text_color": "#FFFFFF"}
            label |= {"description": description or None, "open_issues_count": 0, "subscribed": False}
            label |= {"priority": None, "is_project_label": True}
            self.labels[name] = label
            return dict(label)

    def update_label(self, key: str, changes: dict[str, Any]) -> dict[str, Any]:
        """``key`` is the label's id or its name, as GitLab's ``PUT /labels/:label_id`` accepts."""
        with self.lock:
            label = self.labels.get(key) or next(
                (lab for lab in self.labels.values() if str(lab["id"]) == key), None
            )
            if label is None:
                raise not_found("Label Not Found")
            color = changes.get("color")
            if color is not None and not _COLOR.match(color):
                raise ApiError(400, {"message": {"color": ["must be a valid color code"]}})
            if not any(changes.get(k) is not None for k in ("new_name", "color", "description")):
                message = "new_name, color, description are missing, at least one parameter must be provided"
                raise ApiError(400, {"error": message})
            if color is not None:
                label["color"] = color.lower()
            if changes.get("description") is not None:
                label["description"] = changes["description"] or None
            new_name = changes.get("new_name")
            if new_name and new_name != label["name"]:
                del self.labels[label["name"]]
                for issue in self.issues.values():
                    issue["labels"] = [new_name if n == label["name"] else n for n in issue["labels"]]
                label["name"] = new_name
                self.labels[new_name] = label
            return dict(label)

    def _ensure_labels(self, names: list[str]) -> None:
        for name in names:
            if name not in self.labels:  # GitLab creates a label that an issue names but the project lacks
                self.add_label(name)

    # -- issues --------------------------------------------------------------------------------

    def add_issue(
        self, title: str, description: str | None = "", labels: list[str] | tuple[str, ...] = (), **extra: Any
    ) -> dict[str, Any]:
        with self.lock:
            if not title.strip():
                raise ApiError(400, {"message": {"title": ["can't be blank"]}})
            names = list(dict.fromkeys(n.strip() for n in labels if n.strip()))
            self._ensure_labels(names)
            iid = max(self.issues, default=0) + 1
            stamp = now()
            issue: dict[str, Any] = {
                "id": next(self._ids), "iid": iid, "project_id": self.id, "title": title,
                "description": description, "state": "opened", "created_at": stamp, "updated_at": stamp,
                "closed_at": None, "closed_by": None, "labels": names, "milestone": None,
                "assignees": [], "author": self._author(), "type": "ISSUE", "issue_type": "issue",
                "user_notes_count": 0, "merge_requests_count": 0, "upvotes": 0, "downvotes": 0,
                "confidential": False, "discussion_locked": None, "web_url": f"{self.web_url}/-/issues/{iid}",
                "references": {"short": f"#{iid}", "relative": f"#{iid}", "full": f"{self.path}#{iid}"},
            }  # fmt: skip
            issue |= extra
            self.issues[iid] = issue
            self.notes[iid] = []
            return dict(issue)

    def issue(self, iid: int) -> dict[str, Any]:
        with self.lock:
            if iid not in self.issues:
                raise not_found()
            return dict(self.issues[iid])

    def update_issue(self, iid: int, changes: dict[str, Any]) -> dict[str, Any]:
        """GitLab's ``PUT /issues/:iid``: title, description, labels / add_labels / remove_labels,
        state_event (close, reopen). Label lists are comma-separated strings."""
        with self.lock:
            issue = self.issues.get(iid)
            if issue is None:
                raise not_found()
            if "title" in changes and not str(changes["title"]).strip():
                raise ApiError(400, {"message": {"title": ["can't be blank"]}})
            event = changes.get("state_event")
            if event not in (None, "close", "reopen"):
                raise ApiError(400, {"error": "state_event does not have a valid value"})
            if "title" in changes and changes["title"] != issue["title"]:
                self._system_note(iid, f"changed title from **{issue['title']}** to **{changes['title']}**")
                issue["title"] = changes["title"]
            if "description" in changes and changes["description"] != issue["description"]:
                self._system_note(iid, "changed the description")
                issue["description"] = changes["description"]
            if "labels" in changes:
                issue["labels"] = _names(changes["labels"])
            added = [n for n in _names(changes.get("add_labels", "")) if n not in issue["labels"]]
            removed = _names(changes.get("remove_labels", ""))
            issue["labels"] = [n for n in issue["labels"] + added if n not in removed]
            self._ensure_labels(issue["labels"])
            # label and state changes are resource events on today's GitLab, not notes
            if event == "close" and issue["state"] == "opened":
                issue |= {"state": "closed", "closed_at": now(), "closed_by": self._author()}
            elif event == "reopen" and issue["state"] == "closed":
                issue |= {"state": "opened", "closed_at": None, "closed_by": None}
            issue["updated_at"] = now()
            return dict(issue)

    def issues_matching(self, state: str, labels: list[str]) -> list[dict[str, Any]]:
        """Newest first, as GitLab orders issues by default (``created_at`` descending)."""
        with self.lock:
            found = [
                dict(issue)
                for issue in self.issues.values()
                if state in ("all", issue["state"]) and all(n in issue["labels"] for n in labels)
            ]
        return sorted(found, key=lambda issue: issue["iid"], reverse=True)

    # -- notes ---------------------------------------------------------------------------------

    def _note(self, iid: int, body: str, *, system: bool) -> dict[str, Any]:
        stamp = now()
        note: dict[str, Any] = {
            "id": next(self._ids), "type": None, "body": body, "attachment": None, "author": self._author(),
            "created_at": stamp, "updated_at": stamp, "system": system, "noteable_id": self.issues[iid]["id"],
            "noteable_type": "Issue", "project_id": self.id, "noteable_iid": iid, "resolvable": False,
            "confidential": False, "internal": False,
        }  # fmt: skip
        self.notes[iid].append(note)
        return note

    def _system_note(self, iid: int, body: str) -> None:
        self._note(iid, body, system=True)

    def add_note(self, iid: int, body: str) -> dict[str, Any]:
        with self.lock:
            if iid not in self.issues:
                raise not_found()
            if not body.strip():
                raise ApiError(400, {"message": {"note": ["can't be blank"]}})
            note = self._note(iid, body, system=False)
            self.issues[iid]["user_notes_count"] += 1
            self.issues[iid]["updated_at"] = note["created_at"]
            return dict(note)

    def update_note(self, iid: int, note_id: int, body: str) -> dict[str, Any]:
        with self.lock:
            if iid not in self.issues:
                raise not_found()
            note = next((n for n in self.notes[iid] if n["id"] == note_id and not n["system"]), None)
            if note is None:
                raise not_found("Note Not Found")
            if not body.strip():
                raise ApiError(400, {"message": {"note": ["can't be blank"]}})
            note |= {"body": body, "updated_at": now()}
            return dict(note)

    def notes_of(self, iid: int, sort: str) -> list[dict[str, Any]]:
        """GitLab lists notes newest first unless ``sort=asc``."""
        with self.lock:
            if iid not in self.issues:
                raise not_found()
            notes = [dict(n) for n in self.notes[iid]]
        return notes if sort == "asc" else notes[::-1]

    # -- merge requests ------------------------------------------------------------------------

    def add_merge_request(
        self, source_branch: str, target_branch: str, title: str, description: str | None = "", **extra: Any
    ) -> dict[str, Any]:
        with self.lock:
            if not title.strip():
                raise ApiError(400, {"message": {"title": ["can't be blank"]}})
            if source_branch == target_branch:
                message = "You can't use same project/branch for source and target"
                raise ApiError(400, {"message": [message]})
            clash = next(
                (m for m in self.merge_requests.values()
                 if m["source_branch"] == source_branch and m["target_branch"] == target_branch
                 and m["state"] == "opened"),
                None,
            )  # fmt: skip
            if clash is not None:
                message = f"Another open merge request already exists for this source branch: !{clash['iid']}"
                raise ApiError(409, {"message": [message]})
            iid = max(self.merge_requests, default=0) + 1
            stamp = now()
            draft = bool(re.match(r"^\s*(\[draft\]|\(draft\)|draft:|draft\s-\s|draft\s)", title, re.I))
            mr: dict[str, Any] = {
                "id": next(self._ids), "iid": iid, "project_id": self.id, "title": title,
                "description": description, "state": "opened", "created_at": stamp, "updated_at": stamp,
                "merged_at": None, "closed_at": None, "target_branch": target_branch,
                "source_branch": source_branch, "source_project_id": self.id, "target_project_id": self.id,
                "author": self._author(), "labels": [], "draft": draft, "work_in_progress": draft,
                "merge_status": "can_be_merged", "web_url": f"{self.web_url}/-/merge_requests/{iid}",
                "references": {"short": f"!{iid}", "relative": f"!{iid}", "full": f"{self.path}!{iid}"},
            }  # fmt: skip
            mr |= extra
            self.merge_requests[iid] = mr
            return dict(mr)

    def merge_request(self, iid: int) -> dict[str, Any]:
        with self.lock:
            if iid not in self.merge_requests:
                raise not_found()
            return dict(self.merge_requests[iid])

    def update_merge_request(self, iid: int, changes: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            mr = self.merge_requests.get(iid)
            if mr is None:
                raise not_found()
            event = changes.get("state_event")
            if event not in (None, "close", "reopen"):
                raise ApiError(400, {"error": "state_event does not have a valid value"})
            if mr["state"] == "merged" and event:
                raise ApiError(422, {"message": "Cannot change the state of a merged merge request"})
            if event == "close":
                mr |= {"state": "closed", "closed_at": now()}
            elif event == "reopen":
                mr |= {"state": "opened", "closed_at": None}
            mr["updated_at"] = now()
            return dict(mr)

    def merge_merge_request(self, iid: int) -> dict[str, Any]:
        """Merge an open merge request, as a maintainer would on GitLab."""
        with self.lock:
            mr = self.merge_requests.get(iid)
            if mr is None:
                raise not_found()
            if mr["state"] != "opened":
                raise ApiError(405, {"message": "405 Method Not Allowed"})
            mr |= {"state": "merged", "merged_at": now(), "updated_at": now()}
            return dict(mr)

    def merge_requests_matching(self, state: str, source_branch: str | None) -> list[dict[str, Any]]:
        with self.lock:
            found = [
                dict(mr)
                for mr in self.merge_requests.values()
                if state in ("all", mr["state"]) and source_branch in (None, mr["source_branch"])
            ]
        return sorted(found, key=lambda mr: mr["iid"], reverse=True)


def _names(value: Any) -> list[str]:
    """GitLab label parameters: a comma-separated string (or an array)."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return list(dict.fromkeys(str(n).strip() for n in items if str(n).strip()))
