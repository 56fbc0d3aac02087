"""The project of sync.spec.ts, made by make_project.py beside the main one: ``synced/`` inside the test
root, its own git repository (excluded from the outer one) with a bare remote, and a teammate's clone of
that remote that filed an issue and synced it. The sidebar's Sync button brings the issue in."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import nbformat

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.issues.sync import sync_project
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.trackers import open_tracker

FOLDER = "synced"
NOTEBOOK = f"{FOLDER}/sync.ipynb"
THEIRS = "A teammate's question"
IDENTITY = {"user.name": "ui-test", "user.email": "ui-test@localhost"}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def identify(repository: Path) -> None:
    for key, value in IDENTITY.items():
        git(repository, "config", key, value)


def synced_project(root: Path, notebook: nbformat.NotebookNode) -> dict[str, Any]:
    """Make ``root/synced`` (call after the outer repository's commit); what sync.spec.ts reads."""
    with open(root / ".git" / "info" / "exclude", "a", encoding="utf-8") as exclude:
        exclude.write(f"/{FOLDER}/\n")
    sub = root / FOLDER
    sub.mkdir()
    git(sub, "init", "--quiet", "--initial-branch=main")
    identify(sub)
    init_project(sub, name="synced")
    nbformat.write(notebook, root / NOTEBOOK)
    git(sub, "add", "-A")
    git(sub, "commit", "--quiet", "-m", "synced project")
    remote = root.parent / f"{root.name}-synced-remote.git"
    git(root.parent, "init", "--quiet", "--bare", str(remote))
    git(sub, "remote", "add", "origin", str(remote))
    git(sub, "push", "--quiet", "origin", "HEAD")
    clone = root.parent / f"{root.name}-synced-teammate"
    git(root.parent, "clone", "--quiet", str(remote), str(clone))
    identify(clone)
    project = find_project(clone)
    tracker = open_tracker(project)
    try:
        theirs = new_issue(tracker, IssueType.ASK, THEIRS, sections={"Desired Outcome": "Know more."})
    finally:
        close = getattr(tracker, "close_connection", None)
        if callable(close):
            close()
    sync_project(project)
    return {"notebook": NOTEBOOK, "theirs": {"number": theirs.number, "title": THEIRS}}
