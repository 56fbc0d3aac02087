"""The artifact store: output notebooks and run files under ``<artifacts>/<run id>/``, any fsspec URL.

A local store (the default ``.dsl/artifacts``) is written in place: the run directory the notebook
writes into is already the run's folder, so nothing is copied and a killed run keeps its files.
A remote store (``s3://``, ``gs://``, ``memory://`` ...) gets the files uploaded after the run.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Conflict
from ..project import gitrepo
from ..project.atomic_write import write_text_atomic
from ..project.settings import Project
from .records import RunRecord

FILES_DIR = "files"  # the run directory, inside a run's folder
VALUES_DIR = "values"  # recorded images
RECORD_NAME = "record.json"


class ArtifactStore:
    def __init__(self, url: str) -> None:
        import fsspec  # lazy: fsspec loads its registry, only when artifacts are read or written

        try:
            self.fs, self.base = fsspec.core.url_to_fs(url)
        except (ImportError, ValueError) as exc:
            extra = "s3" if url.startswith("s3") else None
            hint = (
                f"pip install jupyter-dsl[{extra}]" if extra else "Install the fsspec backend for this URL."
            )
            raise ConfigError(f"cannot open the artifact store {url}: {exc}", hint=hint) from exc
        self.url = url
        self.base = self.base.rstrip("/")

    @property
    def is_local(self) -> bool:
        protocol = self.fs.protocol
        return "file" in (protocol if isinstance(protocol, tuple) else (protocol,))

    def path(self, run_id: str, *parts: str) -> str:
        return "/".join([self.base, run_id, *parts])

    def url_of(self, path: str) -> str:
        return str(self.fs.unstrip_protocol(path))

    def staging(self, run_id: str) -> Path:
        """Where the run writes: the run's own folder for a local store, else a temporary folder."""
        if self.is_local:
            folder = Path(self.path(run_id))
            folder.mkdir(parents=True, exist_ok=True)
            return folder
        return Path(tempfile.mkdtemp(prefix=f"jupyter-dsl-{run_id}-"))

    def publish(self, run_id: str, staging: Path, first: str | None = None) -> list[str]:
        """Upload a staged run folder (no-op for a local store); the URLs of its files, ``first`` first."""
        files = sorted(p for p in staging.rglob("*") if p.is_file() and p.name != RECORD_NAME)
        relative = [p.relative_to(staging).as_posix() for p in files]
        if not self.is_local:
            for source, name in zip(files, relative, strict=True):
                target = self.path(run_id, name)
                self.fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
                self.fs.put_file(str(source), target)
        ordered = sorted(relative, key=lambda name: (name != first, name))
        return [self.url_of(self.path(run_id, name)) for name in ordered]

    def write_text(self, run_id: str, name: str, text: str) -> str:
        return self.write_file(self.path(run_id, name), text)

    def write_file(self, target: str, text: str) -> str:
        """Write ``text`` at the store path ``target``, whole: a teammate reading the store sees the
        old file or the new one (a local folder is written atomically; an object store's put is)."""
        self.fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        if self.is_local:
            write_text_atomic(Path(target), text)
        else:
            with self.fs.open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
        return self.url_of(target)

    def write_record(self, record: RunRecord) -> str:
        """The run's record as JSON beside its artifacts (``<run id>/record.json``), packages included."""
        return self.write_text(record.id, RECORD_NAME, record_text(record))

    def read_bytes(self, url: str) -> bytes:
        data: Any = self.fs.cat_file(self.fs._strip_protocol(url))
        return bytes(data)

    def discard(self, staging: Path) -> None:
        if not self.is_local:
            shutil.rmtree(staging, ignore_errors=True)


def record_text(record: RunRecord) -> str:
    return json.dumps(record.to_json(), indent=2, ensure_ascii=False, default=str)


def open_artifacts(project: Project) -> ArtifactStore:
    return ArtifactStore(project.resolve(project.settings.runs.artifacts))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def keep_out_of_git(project: Project, store: ArtifactStore) -> list[str]:
    """Make sure the run index and a local artifact folder are git-ignored when they sit in the repo.

    Adds what is missing to ``.gitignore`` and returns warnings saying so. Refuses when one of them
    holds files git already tracks (ignoring would not untrack them).
    """
    root = project.root
    if not gitrepo.is_repo(root):
        return []
    candidates = [project.database_path]
    if store.is_local:
        candidates.append(Path(store.base))
    warnings: list[str] = []
    for path in candidates:
        if not _inside(path, root):
            continue
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        if gitrepo.git(root, "check-ignore", "-q", "--no-index", relative, check=False).returncode == 0:
            continue
        tracked = gitrepo.git(root, "ls-files", "--", relative, check=False).stdout.split()
        if tracked:
            raise Conflict(
                f"{relative} holds files tracked by git ({', '.join(tracked[:3])}): runs stay out of git",
                hint=f"`git rm -r --cached {relative}` and commit, or point [runs] in dsl.toml elsewhere.",
            )
        pattern = (
            ".dsl/"
            if relative.startswith(".dsl/")
            else relative + ("/" if path != project.database_path else "")
        )
        added = gitrepo.ensure_ignored(root, [pattern])
        if added:
            warnings.append(
                f"added {pattern} to .gitignore so run records and artifacts stay out of git; commit it"
            )
    return warnings
