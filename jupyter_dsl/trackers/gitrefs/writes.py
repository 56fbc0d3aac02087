"""Writing an issue's history: a new issue is a new ref with one ``create`` commit; every change is one
more commit on the ref, moved by compare-and-swap (a writer that lost the race reads the new tip and
tries again, so two processes writing one issue both keep their change)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from ...errors import Conflict
from . import ISSUES_PREFIX
from .history import OpCache, ReadCommit, read_history
from .ops import encode
from .store import RefMoved, RefStore

ATTEMPTS = 50


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_issue_id() -> str:
    return uuid.uuid4().hex


def create_ref(store: RefStore, issue: str, fields: dict[str, Any], *, at: str = "", by: str = "") -> str:
    """The first commit of a new issue (``fields``: title, body, labels, number); its ref must not exist."""
    data = {
        "issue": issue,
        "op": "create",
        "clock": 1,
        "at": at or now(),
        "by": by or store.author(),
        **fields,
    }
    sha = store.commit(encode(data), [])
    store.update_ref(ISSUES_PREFIX + issue, sha, None)
    return sha


def append_op(
    store: RefStore,
    cache: OpCache,
    read: ReadCommit,
    issue: str,
    kind: str,
    fields: dict[str, Any],
    *,
    at: str = "",
    by: str = "",
) -> str:
    """Add one operation on top of the issue's current tip; returns the new tip."""
    ref = ISSUES_PREFIX + issue
    for _ in range(ATTEMPTS):
        tip = store.git("rev-parse", "--verify", "--quiet", ref).strip()
        clock = read_history(issue, tip, read, cache)[-1].clock  # the tip's clock is the largest
        data = {
            "issue": issue,
            "op": kind,
            "clock": clock + 1,
            "at": at or now(),
            "by": by or store.author(),
            **fields,
        }
        sha = store.commit(encode(data), [tip])
        try:
            store.update_ref(ref, sha, tip)
        except RefMoved:
            continue
        return sha
    raise Conflict(f"issue {issue[:12]} kept changing while this change was written; nothing was written")
