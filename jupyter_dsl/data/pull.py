"""``data pull`` and ``data push``: bring a version's files from the store, checked, written whole; send
the store what it lacks of the workspace's versions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NotFound
from ..project.settings import Project
from .add import upload
from .cache import DataStore, open_store
from .catalog import Entry, resolve, workspace
from .dvc_project import delegates, dvc
from .hashing import HashMemory
from .scan import scan
from .status import recorded_files

PARTIAL = re.compile(r"^\..+\.[0-9a-f]{8}\.partial$")  # DataStore.fetch's temporary names
VERSIONS_DIR = "data-versions"  # under .dsl/: versions other than the workspace's, one folder each


@dataclass
class Pulled:
    name: str
    version: str
    path: str  # where the files are, relative to the project root
    written: int  # files fetched from the store
    kept: int  # files already right
    extra: list[str] = field(default_factory=list)  # local files the version does not have (left alone)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def target_of(project: Project, entry: Entry, workspace_version: bool) -> Path:
    if workspace_version:
        return entry.data_path
    return project.state_dir / VERSIONS_DIR / f"{entry.name}@{entry.pointer.version}" / entry.data_path.name


def materialize(project: Project, entry: Entry, target: Path, store: DataStore, memory: HashMemory) -> Pulled:
    """Make ``target`` hold the version's files: fetch the ones missing or different, verify each."""
    recorded = recorded_files(store, entry)
    absent = store.missing(set(recorded.values()))
    if absent:
        named = sorted(rel or entry.data_path.name for rel, md5 in recorded.items() if md5 in absent)
        raise NotFound(
            f"{entry.name} {entry.pointer.version}: {len(named)} object(s) missing from the data store "
            f"{store.url}: {', '.join(named[:5])}{' ...' if len(named) > 5 else ''}",
            hint="Push them from a machine that has the data (`data push`), or check [data] store.",
        )
    _remove_partials(target if entry.pointer.is_dir else target.parent)
    written = kept = 0
    for relpath, md5 in sorted(recorded.items()):
        dest = target / relpath if relpath else target
        if dest.is_file() and memory.md5(dest) == md5:
            kept += 1
            continue
        store.fetch(md5, dest, f"{entry.name} {entry.pointer.version} {relpath or dest.name}")
        memory.learn(dest, dest.stat(), md5)
        written += 1
    extra: list[str] = []
    if entry.pointer.is_dir and target.is_dir():
        local = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
        extra = sorted(local - set(recorded))
    where = (
        target.relative_to(project.root).as_posix() if target.is_relative_to(project.root) else str(target)
    )
    return Pulled(entry.name, entry.pointer.version, where, written, kept, extra)


def _remove_partials(folder: Path) -> None:
    """Drop what a killed pull left half-written (our temporary names only)."""
    if folder.is_dir():
        for leftover in folder.rglob(".*.partial"):
            if PARTIAL.match(leftover.name):
                leftover.unlink(missing_ok=True)


def pull(project: Project, ref: str | None = None) -> list[Pulled]:
    store = open_store(project)
    memory = HashMemory(project.state_dir)
    if delegates(project.root):  # DVC fetches; we then check every file against its hash
        dvc(project.root, "pull", "--quiet", *(_dvc_targets(project, ref)))
    try:
        if ref is None:
            return [
                materialize(project, entry, entry.data_path, store, memory)
                for entry in workspace(project.root).values()
            ]
        entry, _ = resolve(project, ref)
        current = workspace(project.root).get(entry.name)
        in_workspace = current is not None and current.pointer.md5 == entry.pointer.md5
        return [materialize(project, entry, target_of(project, entry, in_workspace), store, memory)]
    finally:
        memory.save()


def _dvc_targets(project: Project, ref: str | None) -> list[str]:
    if ref is None:
        return []
    entry, _ = resolve(project, ref)
    return [entry.pointer_file.relative_to(project.root).as_posix()]


@dataclass
class Pushed:
    name: str
    version: str
    uploaded: int
    skipped: str = ""  # why nothing was sent ("modified", "missing")

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def push(project: Project) -> list[Pushed]:
    if delegates(project.root):
        dvc(project.root, "push", "--quiet")
    store = open_store(project)
    memory = HashMemory(project.state_dir)
    done: list[Pushed] = []
    for entry in workspace(project.root).values():
        if not entry.data_path.exists():
            done.append(Pushed(entry.name, entry.pointer.version, 0, "missing"))
            continue
        manifest, files = scan(entry.data_path, memory)
        if manifest.md5 != entry.pointer.md5:
            done.append(Pushed(entry.name, entry.pointer.version, 0, "modified"))
            continue
        done.append(Pushed(entry.name, entry.pointer.version, upload(store, manifest, files)))
    memory.save()
    return done
