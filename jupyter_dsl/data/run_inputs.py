"""What a run read: ``jupyter_dsl.dataset("customers@1.2.0")`` in a notebook returns the local path
(pulled and checked when missing) and leaves the dataset's name, version and hash in the cell's
outputs under our own MIME type; after the run they become its record's ``inputs``."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

from ..project.settings import find_project
from .cache import open_store
from .catalog import resolve, workspace
from .hashing import HashMemory
from .input_record import MIME
from .pull import materialize, target_of
from .status import entry_status

READ: dict[str, dict[str, Any]] = {}  # what dataset() noted when no kernel was there to display it


def dataset(ref: str) -> Path:
    """The local path of dataset ``ref`` (``NAME`` or ``NAME@X.Y.Z``), noted as this run's input."""
    project = find_project(Path.cwd())
    entry, version = resolve(project, ref)
    current = workspace(project.root).get(entry.name)
    in_workspace = current is not None and current.pointer.md5 == entry.pointer.md5
    target = target_of(project, entry, in_workspace)
    store = open_store(project)
    memory = HashMemory(project.state_dir)
    changed: list[str] = []
    try:
        if not target.exists() or not in_workspace:  # ours to (re)write: pull it, every hash checked
            materialize(project, entry, target, store, memory)
        else:  # the user's files: never overwritten, but a difference is said and recorded
            changed = entry_status(project, entry, store, memory).changed
    finally:
        memory.save()
    if changed:
        shown = ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else "")
        warnings.warn(
            f"dataset {entry.name} {entry.pointer.version or '(untagged)'}: local files differ from the "
            f"recorded version: {shown}",
            stacklevel=2,
        )
    _note(
        {
            "name": entry.name,
            "version": version.version if version is not None else entry.pointer.version or None,
            "md5": entry.pointer.md5,
            "path": project.relative(target) if target.is_relative_to(project.root) else str(target),
            "modified": bool(changed),
            "changed": changed,
        }
    )
    return target


def _note(payload: dict[str, Any]) -> None:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not getattr(shell, "display_pub", None):
        READ[payload["name"]] = payload
        return
    from IPython.display import display  # lazy: only inside a kernel

    said = f"dataset {payload['name']} {payload['version'] or ''} ({payload['md5'][:12]})"
    display({MIME: payload, "text/plain": said + (" MODIFIED" if payload["modified"] else "")}, raw=True)
