"""Find the notebooks of a project and their links, without loading whole notebooks into memory twice."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .errors import DslError
from .notebooks import NotebookLink, get_link

SKIPPED_DIRS = {".git", ".dsl", ".ipynb_checkpoints", "node_modules", "__pycache__", ".venv", "venv"}


def project_notebooks(root: Path) -> Iterator[Path]:
    """Every ``.ipynb`` under ``root``, skipping hidden folders, checkpoints and the state dir."""
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".ipynb"):
                yield Path(directory) / name


def linked_notebooks(root: Path) -> list[tuple[str, NotebookLink]]:
    """(POSIX path relative to root, link) for each linked notebook; unreadable notebooks are skipped."""
    found: list[tuple[str, NotebookLink]] = []
    for path in project_notebooks(root):
        try:
            link = get_link(path)
        except DslError:
            continue  # a malformed notebook is reported when it is opened, not in a project overview
        if link is not None:
            found.append((path.relative_to(root).as_posix(), link))
    return found
