"""Snapshots of a project's tracker, files and git state: a failing command leaves all three as they were."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

DATABASE = Path(".dsl") / "dsl.sqlite"
GIT_QUERIES: dict[str, tuple[str, ...]] = {
    "head": ("rev-parse", "--verify", "--quiet", "HEAD"),
    "branch": ("symbolic-ref", "--quiet", "--short", "HEAD"),
    "status": ("status", "--porcelain=v1", "--untracked-files=all", "--ignored"),
    "index": ("ls-files", "--stage"),
    "refs": ("for-each-ref", "--format=%(refname) %(objectname)"),
    "stashes": ("stash", "list"),
}


@dataclass(frozen=True)
class ProjectState:
    tracker: dict[str, list[tuple[object, ...]]]  # every non-empty table of the database, rows sorted
    files: dict[str, bytes]  # every file but .git/ and the database (whose bytes WAL reads may touch)
    git: dict[str, str]  # HEAD, branch, status, index, refs (branches, tags, stash), stash list


def tracker_rows(root: Path) -> dict[str, list[tuple[object, ...]]]:
    """All issues, labels, comments (and runs) as stored; an absent database reads as empty."""
    path = root / DATABASE
    if not path.exists():
        return {}
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if row[0] not in {"schema_versions", "sqlite_sequence"}
        ]
        dump = {name: conn.execute(f'SELECT * FROM "{name}"').fetchall() for name in tables}
    return {name: sorted(rows, key=repr) for name, rows in dump.items() if rows}  # some have no rowid


def project_files(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(".git/") or relative.startswith(DATABASE.as_posix()) or not path.is_file():
            continue
        files[relative] = path.read_bytes()
    return files


def git_state(root: Path) -> dict[str, str]:
    state = {}
    for key, args in GIT_QUERIES.items():
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
        lines = [line for line in result.stdout.splitlines() if DATABASE.as_posix() not in line]
        state[key] = f"{result.returncode}:" + "\n".join(lines)  # the database is compared by its rows
    return state


def snapshot(root: Path) -> ProjectState:
    return ProjectState(tracker_rows(root), project_files(root), git_state(root))


def differences(before: ProjectState, after: ProjectState) -> list[str]:
    said = []
    for table in sorted(set(before.tracker) | set(after.tracker)):
        if before.tracker.get(table) != after.tracker.get(table):
            said.append(f"tracker table {table}: {before.tracker.get(table)} -> {after.tracker.get(table)}")
    for name in sorted(set(before.files) | set(after.files)):
        if before.files.get(name) != after.files.get(name):
            how = "changed" if name in before.files and name in after.files else "appeared or vanished"
            said.append(f"file {name} {how}")
    for key in GIT_QUERIES:
        if before.git[key] != after.git[key]:
            said.append(f"git {key}: {before.git[key]!r} -> {after.git[key]!r}")
    return said


@contextmanager
def unchanged(root: Path) -> Iterator[ProjectState]:
    """Assert that the block leaves the project's tracker, files and git state exactly as they were."""
    before = snapshot(root)
    yield before
    after = snapshot(root)
    changes = differences(before, after)
    assert not changes, "the command changed the project:\n" + "\n".join(changes)
