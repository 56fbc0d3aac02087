"""Model versions in the data store: ``models/NAME/versions/X.Y.Z.json`` beside the content-addressed
objects, ``models/NAME/aliases.json`` for aliases. A version is never overwritten: two runs saving at
once get two versions."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..data.cache import DataStore
from ..data.versions import SEMVER, bump_patch, check_name, parse_version
from ..errors import Conflict, NotFound

FIRST = "1.0.0"


@dataclass
class ModelVersion:
    name: str
    version: str
    md5: str  # the saved file's (or folder's) hash, as a .dvc file writes it
    size: int
    filename: str
    format: str  # path | skops | joblib
    run_id: str | None = None
    created_at: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class ModelRegistry:
    def __init__(self, store: DataStore) -> None:
        self.store = store
        self.base = f"{store.base}/models"

    def names(self) -> list[str]:
        self.store.fs.invalidate_cache(self.base)
        try:
            listed = self.store.fs.ls(self.base, detail=False)
        except FileNotFoundError:
            return []
        return sorted(str(item).rstrip("/").rsplit("/", 1)[-1] for item in listed)

    def versions(self, name: str) -> list[ModelVersion]:
        folder = f"{self.base}/{check_name(name)}/versions"
        self.store.fs.invalidate_cache(folder)  # another run may have added one since
        try:
            listed = self.store.fs.ls(folder, detail=False)
        except FileNotFoundError:
            return []
        found = []
        for item in listed:
            text = self.store.fs.cat_file(str(item))
            found.append(ModelVersion(**json.loads(text)))
        return sorted(found, key=lambda v: parse_version(v.version))

    def add(self, version: ModelVersion) -> ModelVersion:
        """Write the next free version (``version.version`` is replaced by it)."""
        existing = self.versions(version.name)
        number = bump_patch(existing[-1].version) if existing else FIRST
        for _ in range(100):
            version.version = number
            if self._create(f"{self.base}/{version.name}/versions/{number}.json", version.to_json()):
                return version
            number = bump_patch(number)
        raise Conflict(f"could not find a free version of {version.name}")

    def _create(self, path: str, data: dict[str, Any]) -> bool:
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if self.store.is_local:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                return False
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            return True
        if self.store.fs.exists(path):
            return False
        self.store.fs.pipe_file(path, text.encode("utf-8"))
        return True

    def aliases(self, name: str) -> dict[str, str]:
        try:
            return dict(json.loads(self.store.fs.cat_file(f"{self.base}/{check_name(name)}/aliases.json")))
        except FileNotFoundError:
            return {}

    def set_alias(self, name: str, version: str, alias: str) -> None:
        if SEMVER.match(alias) or not alias or not alias.replace("-", "").isalnum():
            raise NotFound(f"{alias!r} is not an alias name (letters, digits, dashes; not a version)")
        self.resolve(f"{name}@{version}")
        aliases = {**self.aliases(name), alias: version}
        self.store.fs.pipe_file(f"{self.base}/{name}/aliases.json", json.dumps(aliases, indent=2).encode())

    def resolve(self, ref: str) -> ModelVersion:
        """``NAME`` (the latest), ``NAME@X.Y.Z`` or ``NAME@ALIAS``."""
        name, _, wanted = ref.partition("@")
        versions = self.versions(name)
        if not versions:
            raise NotFound(f"no model named {name!r} in the data store {self.store.url}")
        if not wanted:
            return versions[-1]
        wanted = self.aliases(name).get(wanted, wanted).removeprefix("v")
        for version in versions:
            if version.version == wanted:
                return version
        known = ", ".join(v.version for v in versions)
        raise NotFound(f"{name} has no version or alias {wanted!r} (versions: {known})")
