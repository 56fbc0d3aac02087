"""The pointer file: a valid DVC ``.dvc`` file beside the data it pins.

    outs:
    - md5: 3f2a...dir
      size: 1843
      nfiles: 3
      hash: md5
      path: customers
    meta:
      name: customers
      version: 1.2.0
      issue: 4

``outs`` is DVC's; ``meta`` (which DVC reads and ignores) says which named version it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InvalidInput
from ..project import gitrepo
from ..project.atomic_write import write_text_atomic
from .manifest import DIR_SUFFIX, Manifest

SUFFIX = ".dvc"


@dataclass(frozen=True)
class Pointer:
    path: str  # the data's path relative to the pointer's folder (DVC's ``path``)
    md5: str
    size: int | None
    nfiles: int | None
    name: str = ""
    version: str = ""
    issue: int | None = None

    @property
    def is_dir(self) -> bool:
        return self.md5.endswith(DIR_SUFFIX)

    def to_yaml(self) -> str:
        out: dict[str, Any] = {"md5": self.md5}
        if self.size is not None:
            out["size"] = self.size
        if self.is_dir and self.nfiles is not None:
            out["nfiles"] = self.nfiles
        out["hash"] = "md5"
        out["path"] = self.path
        data: dict[str, Any] = {"outs": [out]}
        meta: dict[str, Any] = {"name": self.name, "version": self.version}
        if self.issue is not None:
            meta["issue"] = self.issue
        data["meta"] = meta
        return yaml.safe_dump(data, sort_keys=False)


def pointer_for(manifest: Manifest, data_name: str, *, name: str, version: str, issue: int | None) -> Pointer:
    nfiles = manifest.nfiles if manifest.is_dir else None
    return Pointer(data_name, manifest.md5, manifest.size, nfiles, name, version, issue)


def parse(text: str, where: str) -> Pointer:
    """A ``.dvc`` file's single output; ``where`` names the file in errors."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{where} is not valid YAML: {exc}") from exc
    outs = data.get("outs") if isinstance(data, dict) else None
    if not isinstance(outs, list) or len(outs) != 1 or not isinstance(outs[0], dict):
        raise InvalidInput(f"{where} is not a .dvc file with one output (outs)")
    out = outs[0]
    md5, path = out.get("md5"), out.get("path")
    if not isinstance(md5, str) or not isinstance(path, str):
        raise InvalidInput(f"{where}: its output has no md5 or path (is it a .dvc file of DVC 3?)")
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    issue = meta.get("issue")
    return Pointer(
        path,
        md5,
        out.get("size") if isinstance(out.get("size"), int) else None,
        out.get("nfiles") if isinstance(out.get("nfiles"), int) else None,
        str(meta.get("name") or ""),
        str(meta.get("version") or ""),
        issue if isinstance(issue, int) else None,
    )


def read(path: Path) -> Pointer:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc}") from exc
    return parse(text, str(path))


def write(path: Path, pointer: Pointer) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, pointer.to_yaml())


POINTERS_DIR = "datasets"


def place(root: Path, data: Path, name: str) -> Path:
    """Where a new pointer goes: beside the data, its name plus ``.dvc``, as DVC puts it; but where git
    ignores that place (a git-ignored ``data/`` folder), in ``datasets/NAME.dvc`` (as ``dvc add --file``
    would put it), since neither git nor DVC sees a pointer inside an ignored folder."""
    beside = data.with_name(data.name + SUFFIX)
    relative = beside.relative_to(root).as_posix()
    ignored = gitrepo.git(root, "check-ignore", "-q", "--no-index", relative, check=False).returncode == 0
    return root / POINTERS_DIR / f"{name}{SUFFIX}" if ignored else beside
