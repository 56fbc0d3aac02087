"""``data add``: hash a file or folder, store what the store lacks, pin it by a committed pointer and
tag the version (tied to its Data issue)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dslp.issue_types import IssueType
from ..errors import Conflict, InvalidInput, NotFound
from ..project import gitrepo
from ..project.settings import Project
from ..runs.inside_run import refuse_inside_run
from ..trackers import Tracker
from . import pointer as pointers
from .cache import DataStore, open_store
from .catalog import locked, workspace
from .dvc_project import delegates, dvc
from .hashing import HashMemory
from .issue_link import add_version_line, check_issue
from .manifest import Manifest
from .scan import scan
from .sizes import human_size
from .versions import (
    FIRST,
    bump_patch,
    check_name,
    create_tag,
    latest,
    list_versions,
    name_from_path,
    parse_version,
)


@dataclass
class AddResult:
    name: str
    version: str | None  # None: the content is the latest version's, nothing new was made
    md5: str
    size: int
    nfiles: int
    pointer: str  # relative to the project root
    uploaded: int  # objects written to the store
    commit: str | None = None
    issue: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return self.version is None

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "unchanged": self.unchanged}


def upload(store: DataStore, manifest: Manifest, files: dict[str, Path]) -> int:
    """Write the objects the store lacks (asked in bulk); a folder's ``.dir`` manifest last."""
    wanted = {md5 for md5, _ in manifest.files.values()}
    if manifest.is_dir:
        wanted.add(manifest.md5)
    absent = store.missing(wanted)
    written = 0
    for relpath, (md5, _) in manifest.files.items():
        if md5 in absent:
            store.put_file(files[relpath], md5)
            absent.discard(md5)
            written += 1
    if manifest.is_dir and manifest.md5 in absent:
        store.put_bytes(manifest.dir_bytes(), manifest.md5)
        written += 1
    return written


def _checked_target(project: Project, path: Path) -> tuple[Path, str]:
    data = path.expanduser().resolve()
    if not data.exists():
        raise NotFound(f"{path} does not exist")
    if data.name.endswith(pointers.SUFFIX):
        raise InvalidInput(f"{path} is a pointer file; add the data it points to")
    relative = project.relative(data)
    if relative in ("", "."):
        raise InvalidInput("the project root itself cannot be a dataset")
    if not gitrepo.is_repo(project.root):
        raise Conflict(f"{project.root} is not a git repository: versions are git tags and pointers")
    if gitrepo.git(project.root, "ls-files", "--", relative, check=False).stdout.strip():
        raise Conflict(
            f"{relative} is tracked by git: data versions live outside git",
            hint=f"`git rm -r --cached {relative}` and commit, then add it again.",
        )
    return data, relative


def _next_version(
    name: str, given: str | None, previous: str | None, unchanged: bool, root: Path
) -> str | None:
    if given is not None:
        wanted = parse_version(given)
        taken = {v.version for v in list_versions(root, name)}
        if ".".join(map(str, wanted)) in taken:
            raise Conflict(f"{name}@{given} already exists", hint="Give a new --version, or none.")
        if previous is not None and wanted <= parse_version(previous):
            raise Conflict(f"--version {given} is not after {name}'s latest version {previous}")
        return ".".join(map(str, wanted))
    if unchanged:
        return None
    return bump_patch(previous) if previous is not None else FIRST


def add(
    project: Project,
    path: Path,
    *,
    name: str | None = None,
    issue: int | None = None,
    version: str | None = None,
    tracker: Tracker | None = None,
    git_config: Sequence[str] = (),
) -> AddResult:
    """``git_config``: ``-c name=value`` arguments for the commit and the tag (a fallback identity)."""
    refuse_inside_run("change git")
    data, relative = _checked_target(project, path)
    if version is not None:
        parse_version(version)
    pinned = next((e for e in workspace(project.root).values() if e.data_path == data), None)
    name = check_name(name or (pinned.name if pinned else name_from_path(data)))
    delegating = delegates(project.root)  # a DVC project with dvc installed: DVC writes its pointer
    if delegating:
        pointer_file = data.with_name(data.name + pointers.SUFFIX)
    else:
        pointer_file = pinned.pointer_file if pinned else pointers.place(project.root, data, name)
    if issue is not None:
        if tracker is None:
            raise InvalidInput("--issue needs the project's tracker")
        check_issue(tracker, issue, (IssueType.DATA,))
    store = open_store(project)
    pointer_rel = project.relative(pointer_file)
    with locked(project):
        previous = latest(project.root, name)
        if previous is not None and previous.fields.get("path", pointer_rel) != pointer_rel:
            raise Conflict(f"{name} is the dataset of {previous.fields['path']}", hint="Give another --name.")
        memory = HashMemory(project.state_dir)
        ingest = store if store.is_local and not delegating else None  # hashed while copied in
        manifest, files = scan(data, memory, ingest)
        memory.save()
        unchanged = previous is not None and previous.fields.get("md5") == manifest.md5
        new = _next_version(name, version, previous.version if previous else None, unchanged, project.root)
        uploaded = 0 if delegating else store.ingested + upload(store, manifest, files)
        result = AddResult(name, new, manifest.md5, manifest.size, manifest.nfiles, pointer_rel, uploaded)
        if new is None:
            return result
        out = os.path.relpath(data, pointer_file.parent)
        pointer = pointers.pointer_for(manifest, Path(out).as_posix(), name=name, version=new, issue=issue)
        if delegating:  # DVC caches and pushes the bytes and writes the pointer (and its .gitignore)
            dvc(project.root, "add", "--quiet", relative)
            dvc(project.root, "push", "--quiet", pointer_rel)
            if pointers.read(pointer_file).md5 != manifest.md5:
                raise Conflict(f"{relative} changed while it was being added; add it again")
        pointers.write(pointer_file, pointer)  # DVC's outs as DVC wrote them, plus our meta
        result.warnings += _keep_out_of_git(project, relative)
        message = f"data: {name} {new} ({manifest.nfiles} files, {human_size(manifest.size)})"
        result.commit = gitrepo.commit_files(project.root, [pointer_rel], message, config=git_config)
        commit = result.commit or gitrepo.head_commit(project.root) or ""
        fields = {
            "path": pointer_rel,
            "md5": manifest.md5,
            "size": str(manifest.size),
            "nfiles": str(manifest.nfiles),
            "issue": str(issue) if issue is not None else "",
        }
        create_tag(project.root, name, new, commit, fields, config=git_config)
    if issue is not None and tracker is not None:
        line = f"{name}@v{new}: {manifest.nfiles} files, {human_size(manifest.size)}, md5 {manifest.md5}"
        add_version_line(tracker, issue, line)
        result.issue = issue
    return result


def _keep_out_of_git(project: Project, relative: str) -> list[str]:
    ignored = gitrepo.git(project.root, "check-ignore", "-q", "--no-index", relative, check=False)
    if ignored.returncode == 0:
        return []
    added = gitrepo.ensure_ignored(project.root, [f"/{relative}"])
    return [f"added /{relative} to .gitignore so the data stays out of git; commit it"] if added else []
