"""Shared by the data tests: a project with a folder of small files, and git's view of it."""

from __future__ import annotations

from pathlib import Path

from runs_support import git

from jupyter_dsl.project.scaffold import init_project


def data_project(root: Path) -> Path:
    """A DSLP project (``data/`` git-ignored) with ``data/customers/`` of three files, committed."""
    init_project(root)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    folder = root / "data" / "customers"
    folder.mkdir(parents=True)
    for index, region in enumerate(("north", "south", "east")):
        (folder / f"{region}.csv").write_text(f"id,churned\n{index},0\n", encoding="utf-8")
    return root


def committed_files(root: Path, commit: str = "HEAD") -> list[str]:
    return git(root, "show", "--name-only", "--format=", commit).split()
