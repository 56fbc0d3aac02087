"""An issue's history: its commits walked from the ref's tip, each checked, put in one order (Lamport
clock, then commit id: the same order in every clone), and folded into the issue's current state.

For a field changed on two clones the later operation in that order wins; both stay in the history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .ops import BrokenHistory, Op, check_clock, decode
from .store import EMPTY_TREE, RawCommit

ReadCommit = Callable[[str, str], RawCommit]  # (issue, sha) -> the raw commit


@dataclass
class CommentState:
    key: str  # the commit that made the comment: the same id in every clone
    body: str
    author: str
    created_at: str


@dataclass
class IssueState:
    id: str
    tip: str
    clock: int
    number: int
    title: str
    body: str
    author: str
    created_at: str
    updated_at: str
    state: str = "open"
    state_reason: str | None = None
    closed_at: str | None = None
    labels: list[str] = field(default_factory=list)
    comments: list[CommentState] = field(default_factory=list)
    previous_numbers: list[int] = field(default_factory=list)


class OpCache:
    """Operations already read and checked, by commit (commits never change, so this never goes stale)."""

    def __init__(self) -> None:
        self.ops: dict[str, Op] = {}


def read_history(issue: str, tip: str, read: ReadCommit, cache: OpCache) -> list[Op]:
    """Every operation reachable from ``tip``, checked, in the one order; BrokenHistory names the issue."""
    found: dict[str, Op] = {}
    stack = [tip]
    while stack:
        sha = stack.pop()
        if sha in found:
            continue
        op = cache.ops.get(sha)
        if op is None or op.data["issue"] != issue:
            raw = read(issue, sha)
            if raw.tree != EMPTY_TREE:
                raise BrokenHistory(
                    f"issue {issue[:12]}: commit {sha[:12]} carries files (an operation has none)"
                )
            op = decode(issue, raw.sha, raw.parents, raw.message)
        found[sha] = op
        stack.extend(op.parents)
    for op in found.values():
        check_clock(issue, op, [found[parent].clock for parent in op.parents])
    cache.ops.update(found)
    return sorted(found.values(), key=lambda op: (op.clock, op.sha))


def fold(issue: str, tip: str, ops: list[Op]) -> IssueState:
    """The issue as its operations (in order) leave it."""
    first = ops[0].data
    state = IssueState(
        id=issue,
        tip=tip,
        clock=ops[-1].clock,
        number=first["number"],
        title=first["title"],
        body=first["body"],
        author=first["by"],
        created_at=first["at"],
        updated_at=first["at"],
        labels=list(dict.fromkeys(first["labels"])),
    )
    comments: dict[str, CommentState] = {}
    for op in ops[1:]:
        _apply(state, comments, op)
    state.comments = list(comments.values())
    return state


def _apply(state: IssueState, comments: dict[str, CommentState], op: Op) -> None:
    data = op.data
    kind = op.kind
    if kind == "merge":
        return
    state.updated_at = max(state.updated_at, op.at)
    if kind == "title":
        state.title = data["title"]
    elif kind == "body":
        state.body = data["body"]
    elif kind == "comment":
        comments[op.sha] = CommentState(op.sha, data["body"], op.by, op.at)
    elif kind == "comment_edit":
        target = comments.get(data["target"])
        if target is None:
            raise BrokenHistory(
                f"issue {state.id[:12]}: commit {op.sha[:12]} edits a comment it does not have"
            )
        target.body = data["body"]
    elif kind == "label":
        removed = set(data["remove"])
        state.labels = [label for label in state.labels if label not in removed]
        state.labels += [label for label in dict.fromkeys(data["add"]) if label not in state.labels]
    elif kind == "state":
        state.state = data["state"]
        closed = data["state"] == "closed"
        state.state_reason = data["reason"] if closed else "reopened"
        state.closed_at = op.at if closed else None
    elif kind == "number":
        if state.number not in state.previous_numbers:
            state.previous_numbers.append(state.number)
        state.number = data["number"]
