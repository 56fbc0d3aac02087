"""``jupyter_dsl.save_model`` and ``load_model``: a model version made by the run, and read back."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from ..data.add import upload
from ..data.cache import open_store
from ..data.catalog import Entry
from ..data.hashing import HashMemory
from ..data.pointer import Pointer
from ..data.pull import materialize
from ..data.scan import scan
from ..data.versions import check_name
from ..project.settings import find_project
from ..runs.recording import RUN_ID_ENV
from ..runs.records import now_iso
from . import serialize
from .registry import ModelRegistry, ModelVersion

MODELS_DIR = "models"  # under .dsl/: loaded versions, one folder each


def save_model(obj: Any, name: str) -> ModelVersion:
    check_name(name)
    project = find_project(Path.cwd())
    store = open_store(project)
    with tempfile.TemporaryDirectory(prefix="jupyter-dsl-model-") as scratch:
        path, fmt = serialize.write(obj, Path(scratch))
        memory = HashMemory(project.state_dir)
        manifest, files = scan(path, memory)
        upload(store, manifest, files)
    version = ModelVersion(
        name, "", manifest.md5, manifest.size, path.name, fmt, os.environ.get(RUN_ID_ENV) or None, now_iso()
    )
    return ModelRegistry(store).add(version)


def load_model(ref: str) -> Any:
    project = find_project(Path.cwd())
    store = open_store(project)
    version = ModelRegistry(store).resolve(ref)
    folder = project.state_dir / MODELS_DIR / f"{version.name}@{version.version}"
    pointer = Pointer(version.filename, version.md5, version.size, None, version.name, version.version)
    entry = Entry(version.name, folder / f"{version.filename}.dvc", pointer)
    memory = HashMemory(project.state_dir)
    try:
        materialize(project, entry, folder / version.filename, store, memory)
    finally:
        memory.save()
    return serialize.read(folder / version.filename, version.format)
