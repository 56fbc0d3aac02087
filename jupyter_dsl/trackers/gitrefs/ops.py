"""The operations an issue's history is made of: one JSON object per commit message.

Every operation names its issue (``issue``), carries a Lamport clock (``clock``: one more than the
largest clock among its parents), the time it was made (``at``, ISO seconds, UTC) and its author's
name (``by``). Reading refuses anything else: an unknown kind, a missing field, a clock jump."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ...errors import DslError

FORMAT_VERSION = 1
MAX_OP_BYTES = 1 << 20  # an operation's commit object is refused above 1 MiB, before it is read
MAX_CLOCK_JUMP = 1_000_000  # a clock this far ahead of its parents is refused (as git-bug does)
ISSUE_ID = re.compile(r"^[0-9a-f]{32}$")

# kind -> the fields it needs (beyond the common ones) and their JSON types
KINDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "create": {"title": str, "body": str, "labels": list, "number": int},
    "title": {"title": str},
    "body": {"body": str},
    "comment": {"body": str},
    "comment_edit": {"target": str, "body": str},
    "label": {"add": list, "remove": list},
    "state": {"state": str, "reason": (str, type(None))},
    "number": {"number": int, "from": int},
    "merge": {},
}
_COMMON: dict[str, type | tuple[type, ...]] = {
    "v": int,
    "issue": str,
    "op": str,
    "clock": int,
    "at": str,
    "by": str,
}


class BrokenHistory(DslError):
    """An issue's history that cannot be read (from a remote or a damaged repository); the issue is
    left out and every other issue still reads."""


@dataclass(frozen=True)
class Op:
    """One operation as read from commit ``sha`` (its parents ``parents``)."""

    sha: str
    parents: tuple[str, ...]
    data: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.data["op"])

    @property
    def clock(self) -> int:
        return int(self.data["clock"])

    @property
    def at(self) -> str:
        return str(self.data["at"])

    @property
    def by(self) -> str:
        return str(self.data["by"])


def encode(data: dict[str, Any]) -> str:
    """The commit message of an operation: compact JSON on one line."""
    return json.dumps(
        {"v": FORMAT_VERSION, **data}, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )


def decode(issue: str, sha: str, parents: tuple[str, ...], message: bytes) -> Op:
    """Parse and check one operation of issue ``issue``; BrokenHistory says what is wrong."""
    where = f"issue {issue[:12]}: commit {sha[:12]}"
    try:
        data = json.loads(message.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BrokenHistory(f"{where} is not a JSON operation ({exc})") from exc
    if not isinstance(data, dict):
        raise BrokenHistory(f"{where} is not a JSON object")
    for name, kind in _COMMON.items():
        if not isinstance(data.get(name), kind) or isinstance(data.get(name), bool):
            raise BrokenHistory(f"{where} has no valid {name!r}")
    if data["v"] != FORMAT_VERSION:
        raise BrokenHistory(f"{where} is of format {data['v']}, this jupyter-dsl reads {FORMAT_VERSION}")
    if data["issue"] != issue:
        raise BrokenHistory(f"{where} names another issue ({str(data['issue'])[:12]})")
    _check_fields(where, data)
    if (data["op"] == "create") != (not parents):
        raise BrokenHistory(f"{where}: only the first operation creates an issue")
    if data["op"] == "merge" and len(parents) < 2:
        raise BrokenHistory(f"{where}: a merge needs two parents")
    return Op(sha, parents, data)


def _check_fields(where: str, data: dict[str, Any]) -> None:
    fields = KINDS.get(data["op"])
    if fields is None:
        raise BrokenHistory(f"{where} has an unknown operation {str(data['op'])[:40]!r}")
    for name, kind in fields.items():
        if name not in data or not isinstance(data[name], kind):
            raise BrokenHistory(f"{where} ({data['op']}) has no valid {name!r}")
    for name in ("labels", "add", "remove"):
        if name in fields and not all(isinstance(label, str) and label.strip() for label in data[name]):
            raise BrokenHistory(f"{where} ({data['op']}) has an invalid label list")
    if data["op"] == "state" and data["state"] not in ("open", "closed"):
        raise BrokenHistory(f"{where} sets an unknown state")


def check_clock(issue: str, op: Op, parent_clocks: list[int]) -> None:
    """A clock is one more than its parents' largest, at most MAX_CLOCK_JUMP more; a first operation
    starts at 1."""
    floor = max(parent_clocks, default=0)
    if op.clock <= floor or op.clock > floor + MAX_CLOCK_JUMP:
        raise BrokenHistory(
            f"issue {issue[:12]}: commit {op.sha[:12]} has clock {op.clock} after {floor} "
            f"(a jump over {MAX_CLOCK_JUMP:,} or backwards is refused)"
        )
