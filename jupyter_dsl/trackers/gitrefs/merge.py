"""Joining what a remote has (its refs staged under ``refs/dsl/remotes/<remote>/issues/``) into the
local issue refs: a new issue is taken as it is, a history that only went ahead is fast-forwarded, two
histories that both went ahead get a merge commit (no operation of its own). Nothing is lost: the
merged history holds every operation of both sides; ``history`` decides which value of a field wins.

A staged history that cannot be read is refused (with the reason, naming the issue) and left staged;
every other issue is still merged."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from ...project.database import transaction
from ...project.gitrepo import GitError
from . import ISSUES_PREFIX, STAGING_PREFIX
from .history import OpCache, ReadCommit, read_history
from .ops import ISSUE_ID, BrokenHistory, encode
from .store import ZERO, RefStore
from .writes import now


@dataclass
class Integrated:
    came_in: dict[str, str] = field(default_factory=dict)  # issue id -> "new" | "updated"
    refused: dict[str, str] = field(default_factory=dict)  # issue id -> why


def split_listing(listing: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """``tips("refs/dsl/")`` as (local issue id -> tip, staged ref -> tip)."""
    local = {name[len("issues/") :]: tip for name, tip in listing.items() if name.startswith("issues/")}
    staged = {"refs/dsl/" + name: tip for name, tip in listing.items() if name.startswith("remotes/")}
    return local, staged


def integrate(
    conn: sqlite3.Connection,
    store: RefStore,
    cache: OpCache,
    read: ReadCommit,
    local: dict[str, str],
    staged: dict[str, str],
) -> Integrated:
    """Merge every staged tip not merged before into ``local`` (updated in place)."""
    seen = {row["ref"]: row["tip"] for row in conn.execute("SELECT ref, tip FROM staged_seen")}
    done = Integrated()
    merged: list[tuple[str, str]] = []
    moves: dict[str, tuple[str, str | None]] = {}  # issue -> (new tip, old tip): one update-ref for all
    for ref, tip in sorted(staged.items()):
        if seen.get(ref) == tip:
            continue
        issue = ref.rsplit("/", 1)[-1]
        try:
            if not ISSUE_ID.match(issue) or not ref.startswith(STAGING_PREFIX):
                raise BrokenHistory(f"{ref[:80]} is not an issue ref")
            how = _merge_one(store, cache, read, issue, tip, local, moves)
        except BrokenHistory as exc:
            done.refused[issue] = exc.message
        else:
            if how:
                done.came_in[issue] = how
        merged.append((ref, tip))
    if moves:
        lines = [f"update {ISSUES_PREFIX}{i} {new} {old or ZERO}" for i, (new, old) in moves.items()]
        try:  # all or nothing: another writer moved one ref meanwhile, the next refresh merges again
            store.git("update-ref", "--stdin", stdin="start\n" + "\n".join(lines) + "\ncommit\n")
        except GitError:
            for issue, (_, old) in moves.items():  # the refs are as they were: so is the listing
                if old is None:
                    local.pop(issue, None)
                else:
                    local[issue] = old
            return Integrated(refused=done.refused)
    if merged:
        with transaction(conn):
            conn.executemany("INSERT OR REPLACE INTO staged_seen (ref, tip) VALUES (?, ?)", merged)
    return done


def _merge_one(
    store: RefStore,
    cache: OpCache,
    read: ReadCommit,
    issue: str,
    tip: str,
    local: dict[str, str],
    moves: dict[str, tuple[str, str | None]],
) -> str:
    theirs = read_history(issue, tip, read, cache)
    mine = local.get(issue)
    if mine is None:
        moves[issue] = (tip, None)
        local[issue] = tip
        return "new"
    if mine == tip:
        return ""
    ours = read_history(issue, mine, read, cache)
    if tip in {op.sha for op in ours}:
        return ""  # already part of ours
    if mine not in {op.sha for op in theirs}:  # both went ahead: a merge commit joins them
        clock = max(ours[-1].clock, theirs[-1].clock) + 1
        data = {"issue": issue, "op": "merge", "clock": clock, "at": now(), "by": store.author()}
        tip = store.commit(encode(data), [mine, tip])
    moves[issue] = (tip, mine)
    local[issue] = tip
    return "updated"
