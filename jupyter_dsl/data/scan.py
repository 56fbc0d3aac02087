"""Hash a local file or folder into a :class:`Manifest` (md5s remembered between scans)."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InvalidInput, NotFound
from .cache import DataStore
from .hashing import HashMemory
from .manifest import Manifest


def local_files(data: Path) -> dict[str, Path]:
    """relpath -> file, for a file (relpath ``""``) or every file under a folder."""
    if data.is_file():
        return {"": data}
    if not data.is_dir():
        raise NotFound(f"{data} does not exist")
    found: dict[str, Path] = {}
    for folder, dirs, names in os.walk(data):
        dirs.sort()
        base = Path(folder)
        for name in names:
            path = base / name
            found[path.relative_to(data).as_posix()] = path
    return found


def scan(data: Path, memory: HashMemory, ingest: DataStore | None = None) -> tuple[Manifest, dict[str, Path]]:
    """``ingest``: a local store that a file whose hash is not known is copied into while it is
    hashed (one read instead of two)."""
    files = local_files(data)
    if data.is_dir() and not files:
        raise InvalidInput(f"{data} is an empty folder: nothing to version")
    entries: dict[str, tuple[str, int]] = {}
    for relpath, path in files.items():
        stat = path.stat()
        md5 = memory.lookup(path, stat)
        if md5 is None and ingest is not None:
            md5 = ingest.ingest(path)
            memory.learn(path, stat, md5)
        elif md5 is None:
            md5 = memory.md5(path)
        entries[relpath] = (md5, stat.st_size)
    return Manifest(entries, data.is_dir()), files
