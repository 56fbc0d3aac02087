"""md5 of files, remembered by (size, mtime, inode) so an unchanged file is not read again.

The memory is ``.dsl/data-hashes.json`` (git-ignored with ``.dsl/``), as DVC keeps its state database.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import BinaryIO

from ..project.atomic_write import write_text_atomic

CHUNK = 4 * 1024 * 1024
STATE_NAME = "data-hashes.json"


def new_md5() -> hashlib._Hash:
    """An md5 for content addressing (DVC's hash), not for security."""
    return hashlib.md5(usedforsecurity=False)


def md5_stream(source: BinaryIO, copy_to: BinaryIO | None = None) -> tuple[str, int]:
    """(md5, size) of everything ``source`` holds, written to ``copy_to`` on the way when given."""
    digest = new_md5()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest.hexdigest(), size


def md5_bytes(data: bytes) -> str:
    digest = new_md5()
    digest.update(data)
    return digest.hexdigest()


def md5_file(path: Path) -> str:
    with path.open("rb") as handle:
        return md5_stream(handle)[0]


def _key(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


class HashMemory:
    """Known md5s of local files; :meth:`save` writes it back (atomically) when it learnt something."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / STATE_NAME
        self.known: dict[str, list[object]] = {}
        self.changed = False
        with contextlib.suppress(FileNotFoundError, ValueError):
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.known = loaded

    def lookup(self, path: Path, stat: os.stat_result) -> str | None:
        entry = self.known.get(str(path))
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == _key(stat):
            return str(entry[1])
        return None

    def learn(self, path: Path, stat: os.stat_result, md5: str) -> None:
        self.known[str(path)] = [_key(stat), md5]
        self.changed = True

    def md5(self, path: Path) -> str:
        stat = path.stat()
        known = self.lookup(path, stat)
        if known is None:
            known = md5_file(path)
            self.learn(path, stat, known)
        return known

    def save(self) -> None:
        if self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.path, json.dumps(self.known, separators=(",", ":")))
            self.changed = False
