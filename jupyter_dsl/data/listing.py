"""``data list`` and ``data show``: the named datasets, their versions and what each pins."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFound
from ..project.settings import Project
from .catalog import resolve, workspace
from .versions import Version, check_name, list_versions


@dataclass
class VersionInfo:
    name: str
    version: str
    md5: str
    size: int | None
    nfiles: int | None
    path: str  # the pointer file, relative to the project root
    issue: int | None
    commit: str
    tagged_at: str
    current: bool = False  # the version the workspace's pointer pins

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def version_info(version: Version, current_md5: str | None) -> VersionInfo:
    fields = version.fields
    return VersionInfo(
        version.name,
        version.version,
        fields.get("md5", ""),
        _number(fields.get("size")),
        _number(fields.get("nfiles")),
        fields.get("path", ""),
        _number(fields.get("issue")),
        version.commit,
        version.tagged_at,
        fields.get("md5") == current_md5,
    )


@dataclass
class DatasetInfo:
    name: str
    path: str  # the pointer file
    versions: list[VersionInfo] = field(default_factory=list)  # oldest first

    @property
    def latest(self) -> VersionInfo | None:
        return self.versions[-1] if self.versions else None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "versions": [v.to_json() for v in self.versions]}


def datasets(project: Project, name: str | None = None) -> list[DatasetInfo]:
    """Every dataset (tagged or only pinned in the workspace), by name; or the one named."""
    if name is not None:
        check_name(name)
    pinned = workspace(project.root)
    tagged: dict[str, list[Version]] = {}
    for version in list_versions(project.root, name):
        if version.fields.get("kind", "data") == "data":
            tagged.setdefault(version.name, []).append(version)
    names = sorted((set(pinned) | set(tagged)) if name is None else {name} & (set(pinned) | set(tagged)))
    found: list[DatasetInfo] = []
    for each in names:
        entry = pinned.get(each)
        current = entry.pointer.md5 if entry else None
        versions = [version_info(v, current) for v in tagged.get(each, [])]
        path = project.relative(entry.pointer_file) if entry else (versions[-1].path if versions else "")
        found.append(DatasetInfo(each, path, versions))
    return found


def show(project: Project, ref: str) -> VersionInfo:
    entry, version = resolve(project, ref)
    if version is None:
        raise NotFound(f"{ref}: the workspace's pointer {entry.pointer_file.name} is not a tagged version")
    pinned = workspace(project.root).get(entry.name)
    return version_info(version, pinned.pointer.md5 if pinned else None)
