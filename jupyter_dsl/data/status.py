"""``data status``: which local files differ from the version their pointer records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..project.settings import Project
from .cache import DataStore, open_store
from .catalog import Entry, workspace
from .hashing import HashMemory
from .manifest import parse_dir
from .scan import scan


@dataclass
class DatasetStatus:
    name: str
    version: str
    path: str  # the data, relative to the project root
    state: str  # "ok" | "modified" | "missing" (no local copy)
    changed: list[str] = field(default_factory=list)  # relpaths added, removed or changed

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def recorded_files(store: DataStore, entry: Entry) -> dict[str, str]:
    """relpath -> md5 of the version the pointer records (``""`` for a single file)."""
    if not entry.pointer.is_dir:
        return {"": entry.pointer.md5}
    where = f"{entry.name} ({entry.pointer_file.name})"
    return parse_dir(store.read_bytes(entry.pointer.md5, where), where)


def entry_status(project: Project, entry: Entry, store: DataStore, memory: HashMemory) -> DatasetStatus:
    relative = entry.data_path.relative_to(project.root).as_posix()
    result = DatasetStatus(entry.name, entry.pointer.version, relative, "ok")
    if not entry.data_path.exists():
        result.state = "missing"
        return result
    local, _ = scan(entry.data_path, memory)
    if local.md5 == entry.pointer.md5:
        return result
    result.state = "modified"
    recorded = recorded_files(store, entry)
    names = set(recorded) | set(local.files)
    result.changed = sorted(n for n in names if recorded.get(n) != (local.files.get(n) or ("",))[0])
    return result


def status(project: Project) -> list[DatasetStatus]:
    store = open_store(project)
    memory = HashMemory(project.state_dir)
    found = [entry_status(project, entry, store, memory) for entry in workspace(project.root).values()]
    memory.save()
    return found
