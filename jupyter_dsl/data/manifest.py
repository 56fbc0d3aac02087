"""What a dataset version holds: its files and their md5s, and the hashes DVC gives them.

A single file's hash is the md5 of its bytes. A folder's hash is the md5 of its ``.dir`` manifest (a
JSON list of ``{"md5", "relpath"}`` sorted by relpath, serialized as DVC serializes it) plus ``.dir``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .hashing import md5_bytes

DIR_SUFFIX = ".dir"


@dataclass(frozen=True)
class Manifest:
    """The files of one version: relpath (POSIX, ``""`` for a single file) -> (md5, size)."""

    files: dict[str, tuple[str, int]]
    is_dir: bool

    @property
    def size(self) -> int:
        return sum(size for _, size in self.files.values())

    @property
    def nfiles(self) -> int:
        return len(self.files)

    def dir_bytes(self) -> bytes:
        """The ``.dir`` object's bytes, exactly as DVC writes them (its md5 is the folder's hash)."""
        entries = [{"md5": md5, "relpath": relpath} for relpath, (md5, _) in sorted(self.files.items())]
        return json.dumps(entries, sort_keys=True).encode("utf-8")

    @property
    def md5(self) -> str:
        """The version's hash as a ``.dvc`` file writes it (a folder's ends in ``.dir``)."""
        if not self.is_dir:
            return next(iter(self.files.values()))[0]
        return md5_bytes(self.dir_bytes()) + DIR_SUFFIX

    def differences(self, other: Manifest) -> list[str]:
        """The relpaths whose content differs between ``self`` and ``other`` (added, removed, changed)."""
        names = set(self.files) | set(other.files)
        changed = [n for n in names if (self.files.get(n) or ("",))[0] != (other.files.get(n) or ("",))[0]]
        return sorted(changed)


def parse_dir(data: bytes, where: str) -> dict[str, str]:
    """A ``.dir`` manifest's entries: relpath -> md5. ``where`` names it in errors."""
    from ..errors import InvalidInput

    try:
        entries: Any = json.loads(data)
        return {str(entry["relpath"]): str(entry["md5"]) for entry in entries}
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(f"{where} is not a DVC .dir manifest: {exc}") from exc
