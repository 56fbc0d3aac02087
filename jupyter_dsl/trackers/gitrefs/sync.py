"""``sync`` with a remote: fetch its issue refs into ``refs/dsl/remotes/<remote>/issues/`` (one fetch),
merge them into the local issue refs (``merge``), index (renumbering clashes, ``index``), push every
issue ref the remote lacks without force (``--atomic``: a refused push changes nothing there; the next
sync finishes it), and say what came in and what went out."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ...errors import Conflict, InvalidInput
from ...project import gitrepo
from ...project.database import transaction
from ...project.gitrepo import GitError
from . import ISSUES_PREFIX, STAGING_PREFIX
from .issue_refs import IssueRefs, RefreshReport
from .merge import split_listing


@dataclass(frozen=True)
class Moved:
    number: int
    title: str
    how: str = ""  # came in: "new" | "updated"


@dataclass
class SyncReport:
    remote: str
    dry_run: bool = False
    came_in: list[Moved] = field(default_factory=list)
    went_out: list[Moved] = field(default_factory=list)
    renumbered: list[tuple[int, int, str]] = field(default_factory=list)  # (old, new, title)
    refused: dict[str, str] = field(default_factory=dict)  # issue id -> why
    push_error: str | None = None  # the push was refused: nothing went out (the next sync retries)
    incoming_unknown: int = 0  # dry run: issues the remote has that were never fetched

    def lines(self) -> list[str]:
        """The report in words, one line per issue that moved."""
        would = "would " if self.dry_run else ""
        said = [
            f"came in{' (would)' if self.dry_run else ''}: #{m.number} {m.title} ({m.how})"
            for m in self.came_in
        ]
        if self.incoming_unknown:
            said.append(
                f"{would}come in: {self.incoming_unknown} issue(s) of {self.remote} this clone never saw"
            )
        said += [
            f"went out{' (would)' if self.dry_run else ''}: #{m.number} {m.title}" for m in self.went_out
        ]
        said += [
            f"renumbered: #{old} is now #{new} {title} (another clone also made a #{old}; the older keeps it)"
            for old, new, title in self.renumbered
        ]
        said += [f"refused: {why} (the other issues synced)" for why in self.refused.values()]
        if self.push_error:
            said.append(
                f"{self.remote} refused the push: {self.push_error}; nothing went out, the next sync sends it"
            )
        return said or [f"issues already in sync with {self.remote}"]


def staging(remote: str) -> str:
    return f"{STAGING_PREFIX}{remote}/issues/"


def choose_remote(refs: IssueRefs, wanted: str | None, default: str) -> str:
    remotes = refs.store.git("remote").split()
    if wanted:
        if wanted not in remotes:
            raise InvalidInput(f"this repository has no git remote {wanted!r}", hint=_remotes_hint(remotes))
        return wanted
    if default in remotes:
        return default
    if len(remotes) == 1:
        return remotes[0]
    raise InvalidInput(
        "this repository has no git remote to sync issues with"
        if not remotes
        else "name the remote to sync with",
        hint=_remotes_hint(remotes),
    )


def _remotes_hint(remotes: list[str]) -> str:
    if not remotes:
        return "Add one first: git remote add origin URL"
    return f"Its remotes: {', '.join(remotes)} (pick one with --remote NAME)."


def _env() -> dict[str, str] | None:
    if gitrepo.INTERACTIVE:
        return None
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return env


def fetch_refspec(remote: str) -> str:
    return f"+{ISSUES_PREFIX}*:{staging(remote)}*"


def remember_refspec(refs: IssueRefs, remote: str) -> None:
    """Make a plain ``git fetch`` of this remote stage its issue refs too (seen by the next read)."""
    key = f"remote.{remote}.fetch"
    present = refs.store.git("config", "--get-all", key, check=False).split()
    if fetch_refspec(remote) not in present:
        refs.store.git("config", "--add", key, fetch_refspec(remote))


def sync(
    conn: sqlite3.Connection,
    refs: IssueRefs,
    remote: str,
    refresh: Callable[[], RefreshReport | None],
    *,
    dry_run: bool = False,
) -> SyncReport:
    """Sync with ``remote``; ``refresh`` merges what was fetched and indexes it (the tracker's own)."""
    report = SyncReport(remote, dry_run=dry_run)
    if dry_run:
        return _dry_run(conn, refs, report)
    remember_refspec(refs, remote)
    hint = "Nothing was changed; fix what git says (the remote, your credentials), then sync again."
    gitrepo.git(
        refs.root, "fetch", "--quiet", "--no-tags", remote, fetch_refspec(remote), env=_env(), hint=hint
    )
    numbers = {row["id"]: row["number"] for row in conn.execute("SELECT id, number FROM issue_keys")}
    refreshed = refresh() or RefreshReport()
    report.refused = {**refreshed.integrated.refused, **refreshed.indexed.refused}
    for issue, old in numbers.items():  # renumbered here, or by the clone that sent the change
        new, title = _described(conn, issue)
        if new and new != old:
            report.renumbered.append((old, new, title))
    report.renumbered += [move for move in refreshed.indexed.renumbered if move not in report.renumbered]
    for issue in refreshed.integrated.came_in:  # a new issue another clone renumbered before sending it
        new, title = _described(conn, issue)
        for row in conn.execute("SELECT old FROM issue_moves WHERE id = ? AND old NOT IN (?)", (issue, new)):
            if (row["old"], new, title) not in report.renumbered and issue not in numbers:
                report.renumbered.append((row["old"], new, title))
    report.came_in = [Moved(*_described(conn, i), how) for i, how in refreshed.integrated.came_in.items()]
    local, staged = split_listing(refs.store.tips("refs/dsl/"))
    theirs = {
        ref[len(staging(remote)) :]: tip for ref, tip in staged.items() if ref.startswith(staging(remote))
    }
    outgoing = {i: tip for i, tip in local.items() if theirs.get(i) != tip and i not in report.refused}
    if outgoing:
        report.push_error = _push(refs, remote, outgoing)
        if report.push_error is None:
            report.went_out = [
                Moved(*_described(conn, i)) for i in sorted(outgoing, key=lambda i: _described(conn, i))
            ]
    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO issue_syncs (remote, synced_at) VALUES (?, ?)",
            (remote, datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")),
        )
    return report


def _push(refs: IssueRefs, remote: str, outgoing: dict[str, str]) -> str | None:
    # one wildcard refspec (git matches a list of 10,000 refspecs pairwise): refs the remote has are
    # skipped, and a ref the remote moved since the fetch refuses the whole push (--atomic, no force)
    spec = f"{ISSUES_PREFIX}*:{ISSUES_PREFIX}*"
    try:
        gitrepo.git(refs.root, "push", "--quiet", "--atomic", "--no-verify", remote, spec, env=_env())
    except GitError as exc:
        return exc.message
    lines = [f"update {staging(remote)}{i} {tip}" for i, tip in outgoing.items()]
    refs.store.git("update-ref", "--stdin", stdin="\n".join(lines) + "\n")
    return None


def _described(conn: sqlite3.Connection, issue: str) -> tuple[int, str]:
    row = conn.execute(
        "SELECT i.number, i.title FROM issue_keys k JOIN issues i USING (number) WHERE k.id = ?", (issue,)
    ).fetchone()
    return (int(row["number"]), str(row["title"])) if row else (0, f"issue {issue[:12]}")


def _dry_run(conn: sqlite3.Connection, refs: IssueRefs, report: SyncReport) -> SyncReport:
    """What a sync would move, from ``git ls-remote`` (which changes nothing here)."""
    refs.refresh(conn)
    try:
        out = gitrepo.git(refs.root, "ls-remote", report.remote, f"{ISSUES_PREFIX}*", env=_env()).stdout
    except GitError as exc:
        raise Conflict(exc.message, hint="Nothing was changed; fix what git says, then try again.") from exc
    theirs = {ref[len(ISSUES_PREFIX) :]: tip for tip, ref in (line.split("\t") for line in out.splitlines())}
    local = refs.store.tips()
    for issue, tip in theirs.items():
        if issue not in local:
            report.incoming_unknown += 1
        elif local[issue] != tip and not _contains(refs, local[issue], tip):
            report.came_in.append(Moved(*_described(conn, issue), "updated"))
    report.went_out = [
        Moved(*_described(conn, i)) for i, tip in sorted(local.items()) if theirs.get(i) != tip
    ]
    return report


def _contains(refs: IssueRefs, tip: str, other: str) -> bool:
    return gitrepo.git(refs.root, "merge-base", "--is-ancestor", other, tip, check=False).returncode == 0
