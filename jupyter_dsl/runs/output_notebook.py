"""A run's output notebook, read back from the artifact store (never from anywhere else).

The record names the notebook by URL (its first artifact). That URL is data from the run index, so it
is checked before anything is read: same filesystem as the project's artifact store, inside the run's
own folder there (symbolic links resolved for a local store), and a ``.ipynb``. Anything else is refused.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import nbformat
from fsspec.core import strip_protocol
from fsspec.utils import get_protocol

from ..errors import InvalidInput, NotFound, PathRefused
from ..project.settings import Project
from .artifacts import ArtifactStore, open_artifacts
from .records import RunRecord

NOTEBOOK_SUFFIX = ".ipynb"


def _protocols(store: ArtifactStore) -> tuple[str, ...]:
    protocol = store.fs.protocol
    return protocol if isinstance(protocol, tuple) else (protocol,)


def _inside(path: str, folder: str, *, local: bool) -> bool:
    if local:
        real, root = Path(path).resolve(), Path(folder).resolve()
        return root in real.parents
    normal = posixpath.normpath(path)
    return ".." not in path.split("/") and normal.startswith(folder.rstrip("/") + "/")


def confined_output_path(store: ArtifactStore, record: RunRecord) -> str:
    """The store path of ``record``'s output notebook; ``PathRefused`` when its URL leads elsewhere."""
    url = record.output_notebook
    if url is None:
        raise NotFound(
            f"run {record.id} has no output notebook",
            hint="The run stopped before papermill wrote one; its error says why.",
        )
    refused = PathRefused(
        f"the output notebook of run {record.id} is not in the project's artifact store",
        hint="Only files inside the run's own folder of the artifact store ([runs] artifacts) are served.",
    )
    if "\x00" in url or get_protocol(url) not in _protocols(store) or not url.endswith(NOTEBOOK_SUFFIX):
        raise refused
    path = str(strip_protocol(url))
    if not _inside(path, store.path(record.id), local=store.is_local):
        raise refused
    return path


def read_output_notebook(project: Project, record: RunRecord) -> nbformat.NotebookNode:
    """The output notebook of ``record`` as nbformat 4, read from the project's artifact store."""
    store = open_artifacts(project)
    path = confined_output_path(store, record)
    try:
        data = store.fs.cat_file(path)
    except FileNotFoundError:
        raise NotFound(
            f"the output notebook of run {record.id} is gone from the artifact store",
            hint="Someone removed it; rerun the notebook to get a new one.",
        ) from None
    try:
        notebook: nbformat.NotebookNode = nbformat.reads(bytes(data).decode("utf-8"), as_version=4)
    except (UnicodeDecodeError, ValueError) as exc:  # NotJSONError is a ValueError
        raise InvalidInput(f"the output notebook of run {record.id} is not a valid notebook: {exc}") from exc
    return notebook
