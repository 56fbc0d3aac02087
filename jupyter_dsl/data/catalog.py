"""Which datasets a project has: its pointer files (the workspace's) and its version tags."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput, NotFound
from ..project import gitrepo
from ..project.settings import Project
from . import pointer as pointers
from .dvc_project import lock_outputs
from .pointer import Pointer
from .versions import Version, check_name, find_version, latest, list_versions, name_from_path

LOCK_NAME = "data.lock"


@dataclass(frozen=True)
class Entry:
    """A named dataset as the workspace pins it: its pointer file and where its data goes."""

    name: str
    pointer_file: Path
    pointer: Pointer

    @property
    def data_path(self) -> Path:
        return Path(os.path.normpath(self.pointer_file.parent / self.pointer.path))


def pointer_files(root: Path) -> list[Path]:
    """The ``.dvc`` files git knows (tracked, or untracked and not ignored)."""
    args = ("ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.dvc")
    listed = gitrepo.git(root, *args, check=False).stdout.split("\0")
    return sorted({root / name for name in listed if name and (root / name).is_file()})


def entry_name(file: Path, pointer: Pointer) -> str:
    return pointer.name or name_from_path(file.parent / pointer.path)


def workspace(root: Path) -> dict[str, Entry]:
    """Every named dataset the workspace pins: its ``.dvc`` files, and a DVC pipeline's ``dvc.lock``
    outputs (named after their path)."""
    found: dict[str, Entry] = {}
    for file in pointer_files(root):
        try:
            pointer = pointers.read(file)
        except InvalidInput:
            continue  # a pipeline's .dvc file of another shape: not a dataset pointer
        name = entry_name(file, pointer)
        found.setdefault(name, Entry(name, file, pointer))
    for _, output in lock_outputs(root):
        name = name_from_path(Path(output.path))
        found.setdefault(name, Entry(name, root / "dvc.lock", output))
    return found


def entry(project: Project, name: str) -> Entry:
    """The workspace's pointer of ``name``; else the latest version's (from its tag)."""
    check_name(name)
    found = workspace(project.root).get(name)
    if found is not None:
        return found
    newest = latest(project.root, name)
    if newest is None:
        raise NotFound(f"no dataset named {name!r} in {project.root}", hint="`data add PATH` adds one.")
    return entry_at(project, newest)


def entry_at(project: Project, version: Version) -> Entry:
    """The pointer as the commit of ``version`` holds it."""
    relative = version.fields.get("path", "")
    text = gitrepo.file_at(project.root, version.commit, relative) if relative else None
    if text is None:
        raise NotFound(f"{version.tag}: its commit {version.commit[:10]} holds no pointer file {relative!r}")
    return Entry(version.name, project.root / relative, pointers.parse(text, f"{version.tag}:{relative}"))


def resolve(project: Project, ref: str) -> tuple[Entry, Version | None]:
    """``NAME`` (the workspace's version) or ``NAME@X.Y.Z``: the entry and its tagged version."""
    name, _, wanted = ref.partition("@")
    check_name(name)
    if wanted:
        version = find_version(project.root, name, wanted.removeprefix("v"))
        return entry_at(project, version), version
    current = entry(project, name)
    tagged = [v for v in list_versions(project.root, name) if v.fields.get("md5") == current.pointer.md5]
    return current, (tagged[-1] if tagged else None)


@contextmanager
def locked(project: Project) -> Iterator[None]:
    """One project-wide lock for the read-version, write, commit and tag of an add."""
    project.state_dir.mkdir(parents=True, exist_ok=True)
    with (project.state_dir / LOCK_NAME).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
