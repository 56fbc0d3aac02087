"""The local tracker with 10,000 issues: issues in git refs (SQLite as their index) against the
SQLite-only tracker of before, in one run.

    python benchmarks/tracker.py [--issues 10000] [--comments 2] [--incoming 1000] [--repeat 5]

Seeds the refs with ``git fast-import`` (one process; the tracker's own writes would take minutes) and
the SQLite-only database with the same issues, then times: a cold index rebuild from the refs, a warm
list of every issue and a filtered list, ``issue show`` (get + comments), the first sync (pushing every
ref to a bare remote), a no-op sync (one fetch, nothing pushed) and a sync bringing ``--incoming`` new
issues made in another clone. Prints medians and ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jupyter_dsl.project import gitrepo
from jupyter_dsl.trackers import IssueQuery, LocalTracker
from jupyter_dsl.trackers.gitrefs.sync import sync

GIT_BUG_LIST_1000 = 25.7  # s to list 1,000 issues, git-bug v0.4 (its issue #98)
TYPES = ("Ask", "Data", "Explore", "Experiment", "Model")


def git(root: Path, *args: str, stdin: bytes | None = None) -> None:
    subprocess.run(["git", *args], cwd=root, input=stdin, check=True, capture_output=True)


def repository(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "--quiet", "--initial-branch=main")
    git(path, "config", "user.name", "Bench")
    git(path, "config", "user.email", "bench@example.invalid")
    return path


def op(issue: str, clock: int, **fields: Any) -> bytes:
    data = {"v": 1, "issue": issue, "clock": clock, "at": "2026-01-01T00:00:00Z", "by": "Bench", **fields}
    return json.dumps(data, separators=(",", ":"), sort_keys=True).encode()


def seed_refs(root: Path, first: int, count: int, comments: int, prefix: str) -> None:
    """``count`` issues numbered from ``first``, each with ``comments`` comments, every third closed."""
    stream = bytearray()
    for n in range(first, first + count):
        issue = f"{prefix}{n:024x}"
        labels = [TYPES[n % len(TYPES)]]
        ops = [op(issue, 1, op="create", title=f"Issue {n}", body=f"Body of {n}", labels=labels, number=n)]
        ops += [op(issue, 2 + c, op="comment", body=f"comment {c} on {n}") for c in range(comments)]
        if n % 3 == 0:
            ops.append(op(issue, 2 + comments, op="state", state="closed", reason="completed"))
        for message in ops:
            stream += f"commit refs/dsl/issues/{issue}\n".encode()
            stream += b"committer Bench <bench@example.invalid> 1767225600 +0000\n"
            stream += f"data {len(message) + 1}\n".encode() + message + b"\n\n"
    git(root, "fast-import", "--quiet", stdin=bytes(stream))


def seed_sqlite(database: Path, count: int, comments: int) -> LocalTracker:
    tracker = LocalTracker(database, repository=None)
    conn = tracker.conn
    with conn:
        conn.execute("BEGIN")
        for n in range(1, count + 1):
            closed = n % 3 == 0
            conn.execute(
                "INSERT INTO issues (number, title, body, state, state_reason, author, created_at,"
                " updated_at, closed_at) VALUES (?, ?, ?, ?, ?, 'Bench', ?, ?, ?)",
                (
                    n,
                    f"Issue {n}",
                    f"Body of {n}",
                    "closed" if closed else "open",
                    "completed" if closed else None,
                    "2026-01-01T00:00:00Z",
                    "2026-01-01T00:00:00Z",
                    "2026-01-01T00:00:00Z" if closed else None,
                ),
            )
            conn.execute(
                "INSERT INTO issue_labels (issue, label, position) VALUES (?, ?, 0)", (n, TYPES[n % 5])
            )
            for c in range(comments):
                conn.execute(
                    "INSERT INTO issue_comments (issue, body, author, created_at) VALUES (?, ?, 'Bench', ?)",
                    (n, f"comment {c} on {n}", "2026-01-01T00:00:00Z"),
                )
        conn.execute("COMMIT")
    return tracker


def median(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def once(action: Callable[[], object]) -> float:
    return median(action, 1)


class GitCalls:
    """Counts the git commands sync runs through ``gitrepo.git`` (fetch, push, ls-remote)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self._real = gitrepo.git

    def __enter__(self) -> GitCalls:
        def counted(root: Path, *args: str, **kwargs: Any) -> Any:
            self.calls.append(args[0])
            return self._real(root, *args, **kwargs)

        gitrepo.git = counted  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        gitrepo.git = self._real  # type: ignore[assignment]


def report(name: str, refs: float, before: float | None = None, target: str = "") -> None:
    ratio = f"   {before / refs:5.2f}x the SQLite-only tracker ({before * 1000:8.1f} ms)" if before else ""
    print(f"{name:<44} {refs * 1000:9.1f} ms{ratio}{'   target ' + target if target else ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=2)
    parser.add_argument("--incoming", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        remote = top / "remote.git"
        git(top, "init", "--quiet", "--bare", str(remote))
        ann = repository(top / "ann")
        git(ann, "remote", "add", "origin", str(remote))
        start = time.perf_counter()
        seed_refs(ann, 1, args.issues, args.comments, "a" * 8)
        seeded = time.perf_counter() - start
        print(f"{args.issues:,} issues x {args.comments} comments seeded in refs in {seeded:.1f} s")
        old = seed_sqlite(top / "old" / ".dsl" / "dsl.sqlite", args.issues, args.comments)
        tracker = LocalTracker(ann / ".dsl" / "dsl.sqlite")
        everything = IssueQuery(state="all")
        explores = IssueQuery(state="open", labels=("Explore",))
        rebuild = once(lambda: tracker.list(everything))
        report("cold index rebuild (every ref read)", rebuild, target="<= 10 s")
        report(
            "warm list of every issue",
            median(lambda: tracker.list(everything), args.repeat),
            median(lambda: old.list(everything), args.repeat),
            "<= 0.2 s",
        )
        report(
            "warm filtered list (open Explore)",
            median(lambda: tracker.list(explores), args.repeat),
            median(lambda: old.list(explores), args.repeat),
        )
        middle = args.issues // 2
        report(
            "issue show (get + comments)",
            median(lambda: (tracker.get(middle), tracker.comments(middle)), args.repeat),
            median(lambda: (old.get(middle), old.comments(middle)), args.repeat),
        )
        refs = tracker.refs
        assert refs is not None
        report(
            "first sync (push every ref)", once(lambda: sync(tracker.conn, refs, "origin", tracker.refresh))
        )
        with GitCalls() as calls:
            noop = median(lambda: sync(tracker.conn, refs, "origin", tracker.refresh), args.repeat)
        report(
            f"no-op sync ({calls.calls.count('fetch') / args.repeat:.0f} fetch, "
            f"{calls.calls.count('push')} push)",
            noop,
            target="<= 1 s, one fetch",
        )
        bob = repository(top / "bob")
        git(bob, "remote", "add", "origin", str(remote))
        seed_refs(bob, args.issues + 1, args.incoming, args.comments, "b" * 8)
        git(bob, "push", "--quiet", "origin", "refs/dsl/issues/*:refs/dsl/issues/*")
        start = time.perf_counter()
        result = sync(tracker.conn, refs, "origin", tracker.refresh)
        report(f"sync bringing {len(result.came_in):,} new issues", time.perf_counter() - start)
        print(f"git-bug v0.4 published: {GIT_BUG_LIST_1000:.1f} s to list 1,000 issues")
        tracker.close_connection()
        old.close_connection()


if __name__ == "__main__":
    main()
