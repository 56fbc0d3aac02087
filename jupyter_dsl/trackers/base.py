"""The Tracker protocol every issue backend implements (issues, comments, labels), and the issue types
it speaks in. Forge capabilities (pull requests, web links) are in ``capabilities``."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from ..dslp.issue_types import IssueType
from ..dslp.labels import issue_type_of
from ..dslp.references import ask_of

State = Literal["open", "closed"]
StateFilter = Literal["open", "closed", "all"]
CloseReason = Literal["completed", "not_planned"]


@dataclass(frozen=True)
class Issue:
    tracker: str  # "local" | "github" | "gitlab" | a plugin's name
    number: int
    title: str
    body: str
    state: State
    labels: tuple[str, ...] = ()
    url: str = ""
    state_reason: str | None = None
    created_at: str = ""
    updated_at: str = ""
    closed_at: str | None = None
    author: str = ""
    comments: int = 0

    @property
    def type(self) -> IssueType | None:
        return issue_type_of(self.labels)

    @property
    def ask(self) -> int | None:
        """The Ask this issue refers to (Ask Reference, or Prompted by for an Explore)."""
        return None if self.type is IssueType.ASK else ask_of(self.body)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["labels"] = list(self.labels)
        data["type"] = self.type.value if self.type else None
        data["ask"] = self.ask
        return data


@dataclass(frozen=True)
class Comment:
    id: int
    issue: int
    body: str
    author: str = ""
    created_at: str = ""
    url: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PullRequest:
    number: int
    state: State
    merged: bool = False
    url: str = ""


@dataclass(frozen=True)
class Label:
    """A label of the tracker (repository or project), as forges define it."""

    name: str
    color: str  # 6 hex digits, no '#'
    description: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class IssueQuery:
    type: IssueType | None = None
    state: StateFilter = "open"
    labels: tuple[str, ...] = field(default_factory=tuple)


@runtime_checkable
class Tracker(Protocol):
    """An issue tracker: issues (create, get, list, edit, close, reopen), their comments and labels.
    Numbers are the tracker's own (GitHub number, GitLab iid, local id). What a forge adds (pull
    requests, web links) are protocols of their own in ``capabilities``.

    Every method raises ``NotFound`` for an unknown issue and ``TrackerError`` when the
    backend refuses or fails; none returns partial results silently.
    """

    kind: str
    offline_as_of: str | None
    """Set when the last read came from the cache because the forge was unreachable (ISO time of the
    cached copy); None when online, and always None for the local tracker."""

    # -- issues --------------------------------------------------------------------------------

    def create(self, title: str, body: str, labels: Sequence[str]) -> Issue: ...

    def get(self, number: int) -> Issue: ...

    def list(self, query: IssueQuery) -> list[Issue]: ...

    def edit(self, number: int, *, title: str | None = None, body: str | None = None) -> Issue: ...

    def close(self, number: int, reason: CloseReason = "completed") -> Issue: ...

    def reopen(self, number: int) -> Issue: ...

    # -- comments ------------------------------------------------------------------------------

    def comment(self, number: int, body: str) -> Comment: ...

    def comments(self, number: int) -> builtins.list[Comment]: ...

    def edit_comment(self, number: int, comment_id: int, body: str) -> Comment:
        """Replace the text of comment ``comment_id`` of issue ``number``."""
        ...

    # -- labels --------------------------------------------------------------------------------

    def update_labels(self, number: int, *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Issue:
        """Add and remove labels in one change: checks everything first (the issue exists, every label
        to remove is on it, none is both added and removed) and changes nothing when a check fails."""
        ...

    def add_labels(self, number: int, labels: Sequence[str]) -> Issue: ...

    def remove_labels(self, number: int, labels: Sequence[str]) -> Issue: ...

    def labels(self) -> builtins.list[Label]:
        """Every label of the repository (project), DSLP or not."""
        ...

    def save_label(self, label: Label, *, exists: bool) -> None:
        """Create ``label`` (``exists=False``) or update the label of that name (colour, description)."""
        ...
