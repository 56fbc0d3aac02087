"""Real git for the issue-refs tests: a bare remote and clones of one project, each with its own
identity, and the local tracker of a clone."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import run_git
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.trackers import IssueQuery, LocalTracker


def git_in(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """git as the user of that clone runs it (its own config, no fixed identity)."""
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    assert not check or result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result


def remote_and_clones(tmp_path: Path, *names: str) -> tuple[Path, list[Path]]:
    """A bare remote holding a committed project, and one clone per name (user.name = the name)."""
    remote = tmp_path / "remote.git"
    run_git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    seed = tmp_path / "seed"
    init_project(seed, commit=False)
    run_git(seed, "add", "--all")
    run_git(seed, "commit", "--quiet", "-m", "project")
    run_git(seed, "push", "--quiet", str(remote), "main")
    return remote, [clone(remote, tmp_path / name, name) for name in names]


def clone(remote: Path, target: Path, user: str) -> Path:
    run_git(target.parent, "clone", "--quiet", str(remote), str(target))
    run_git(target, "config", "user.name", user)
    run_git(target, "config", "user.email", f"{user}@example.invalid")
    return target


@contextmanager
def tracker_of(root: Path) -> Iterator[LocalTracker]:
    tracker = LocalTracker(root / ".dsl" / "dsl.sqlite")
    try:
        yield tracker
    finally:
        tracker.close_connection()


def titles(root: Path) -> dict[int, str]:
    with tracker_of(root) as tracker:
        return {issue.number: issue.title for issue in tracker.list(IssueQuery(state="all"))}


def drop_index(root: Path) -> None:
    """Delete the SQLite index (the issues must come back from the refs)."""
    for path in (root / ".dsl").glob("dsl.sqlite*"):
        path.unlink()


def issue_refs(root: Path) -> list[str]:
    return git_in(root, "for-each-ref", "--format=%(refname)", "refs/dsl/issues/").stdout.split()
