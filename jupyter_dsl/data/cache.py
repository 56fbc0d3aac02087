"""The data store: DVC's cache layout (``files/md5/<2 hex>/<rest>``) on any fsspec URL.

Objects are written whole or not at all (a temporary name, then a rename; object stores write a key
whole anyway) and checked against their md5 whenever they are read back.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ConfigError, NotFound
from ..project.settings import Project
from .hashing import md5_bytes, md5_stream

FILES = "files/md5"


class CorruptObject(NotFound):
    """An object in the store whose bytes do not hash to its name."""


class DataStore:
    def __init__(self, url: str) -> None:
        import fsspec  # lazy: fsspec loads its registry only when data moves

        try:
            self.fs, base = fsspec.core.url_to_fs(url)
        except (ImportError, ValueError) as exc:
            extra = "s3" if url.startswith("s3") else None
            hint = (
                f"pip install jupyter-dsl[{extra}]" if extra else "Install the fsspec backend for this URL."
            )
            raise ConfigError(f"cannot open the data store {url}: {exc}", hint=hint) from exc
        self.url = url
        self.base = str(base).rstrip("/")
        self.ingested = 0  # objects :meth:`ingest` wrote
        protocol = self.fs.protocol
        self.is_local = "file" in (protocol if isinstance(protocol, tuple) else (protocol,))

    def object_path(self, md5: str) -> str:
        return f"{self.base}/{FILES}/{md5[:2]}/{md5[2:]}"

    def missing(self, md5s: Iterable[str]) -> set[str]:
        """The hashes the store has no object for, asking once per 2-hex folder (not once per file)."""
        by_prefix: dict[str, set[str]] = defaultdict(set)
        for md5 in md5s:
            by_prefix[md5[:2]].add(md5)
        absent: set[str] = set()
        for prefix, wanted in by_prefix.items():
            folder = f"{self.base}/{FILES}/{prefix}"
            present = {f"{prefix}{name}" for name in self._names(folder)}
            absent |= wanted - present
        return absent

    def _names(self, folder: str) -> set[str]:
        if self.is_local:
            try:
                return set(os.listdir(folder))
            except FileNotFoundError:
                return set()
        self.fs.invalidate_cache(folder)  # an object store's listing cache would miss what was just written
        try:
            listed: Any = self.fs.ls(folder, detail=False)
        except FileNotFoundError:
            return set()
        return {str(item).rstrip("/").rsplit("/", 1)[-1] for item in listed}

    def put_file(self, source: Path, md5: str) -> None:
        target = self.object_path(md5)
        if self.is_local:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(f"{target}.{secrets.token_hex(4)}.tmp")
            try:
                shutil.copyfile(source, tmp)
                os.replace(tmp, target)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
            return
        self.fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        self.fs.put_file(str(source), target)

    def ingest(self, source: Path) -> str:
        """Hash ``source`` while copying it into a local store, in one pass; its md5."""
        folder = Path(f"{self.base}/{FILES}")
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".ingest.{secrets.token_hex(6)}.tmp"
        try:
            with source.open("rb") as handle, tmp.open("wb") as out:
                md5, _ = md5_stream(handle, out)
            target = Path(self.object_path(md5))
            if target.exists():
                return md5
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
            self.ingested += 1
            return md5
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def put_bytes(self, data: bytes, md5: str) -> None:
        target = self.object_path(md5)
        if self.is_local:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(f"{target}.{secrets.token_hex(4)}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
            return
        self.fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        self.fs.pipe_file(target, data)

    def read_bytes(self, md5: str, what: str) -> bytes:
        """A small object's bytes, checked; ``what`` names it in errors."""
        target = self.object_path(md5)
        try:
            data = bytes(self.fs.cat_file(target))
        except FileNotFoundError as exc:
            raise NotFound(f"{what}: object {md5} is missing from the data store {self.url}") from exc
        if md5_bytes(data) != md5.removesuffix(".dir"):
            raise CorruptObject(f"{what}: object {md5} in the data store {self.url} is corrupt")
        return data

    def fetch(self, md5: str, dest: Path, what: str) -> None:
        """Write object ``md5`` to ``dest`` atomically, checking its hash; a missing or corrupt object
        raises and leaves ``dest`` as it was."""
        target = self.object_path(md5)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.partial")
        try:
            try:
                source = self.fs.open(target, "rb")
            except FileNotFoundError as exc:
                raise NotFound(f"{what}: object {md5} is missing from the data store {self.url}") from exc
            with source, tmp.open("wb") as out:
                got, _ = md5_stream(source, out)
            if got != md5:
                raise CorruptObject(
                    f"{what}: object {md5} in the data store {self.url} is corrupt (its bytes hash to {got})"
                )
            os.replace(tmp, dest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def store_url(project: Project) -> str:
    """``[data] store``; else, in a DVC project, DVC's default remote; else ``data`` inside the
    project's artifact store."""
    from .dvc_project import default_remote, uses_dvc  # lazy: read only where there is no [data] store

    given = project.settings.data.store
    if given:
        return project.resolve(given)
    remote = default_remote(project.root) if uses_dvc(project.root) else None
    if remote:
        return remote
    return project.resolve(project.settings.runs.artifacts).rstrip("/") + "/data"


def open_store(project: Project, url: str | None = None) -> DataStore:
    return DataStore(url or store_url(project))
