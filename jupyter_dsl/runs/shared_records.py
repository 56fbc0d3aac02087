"""A run record read from the artifact store: untrusted input, checked before it reaches the index.

A teammate's clone (or anyone who can write to the store) wrote it. It is parsed by the one record
parser (``RunRecord.from_json``) after its shape is checked; a record that is not one (bad JSON,
wrong types, another run's id, a path out of the project or of the run's folder, too big) is refused
with ``InvalidInput`` naming its URL. The URLs of its artifacts are rebased onto this clone's store:
whatever folder or bucket path the writer had, they point inside ``<store>/<run id>/`` here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InvalidInput
from .artifacts import RECORD_NAME, ArtifactStore
from .records import FINISHED, RunRecord

SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
"""What a run or batch id from the store may look like (ours: ``20250131-142501-3f9a1c``)."""
MAX_RECORD_BYTES = 16 * 1024 * 1024


def is_safe_id(value: object) -> bool:
    return isinstance(value, str) and SAFE_ID.fullmatch(value) is not None and ".." not in value


def is_project_path(value: object) -> bool:
    """A POSIX path relative to the project root that stays inside it (``nb/a.ipynb``)."""
    if not isinstance(value, str) or not value or "\\" in value or "\x00" in value:
        return False
    path = PurePosixPath(value)
    return not path.is_absolute() and all(part not in ("", ".", "..") for part in value.split("/"))


def read_limited(store: ArtifactStore, path: str, what: str) -> bytes:
    """The bytes of a store file, refused past ``MAX_RECORD_BYTES``; FileNotFoundError when absent."""
    with store.fs.open(path, "rb") as handle:
        data: bytes = handle.read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        raise InvalidInput(f"{what} is more than {MAX_RECORD_BYTES} bytes")
    return data


def load_json_object(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidInput(f"{what} is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} is not a JSON object")
    return value


def read_shared_record(store: ArtifactStore, run_id: str) -> RunRecord | None:
    """The record of ``run_id`` in the store, checked; None when the run has no record yet (it is
    still going, or its folder holds only files). ``InvalidInput`` names a record that is refused."""
    path = store.path(run_id, RECORD_NAME)
    what = f"the run record {store.url_of(path)}"
    if store.is_local and any(Path(p).is_symlink() for p in (store.path(run_id), path)):
        raise InvalidInput(f"{what} is refused: a symbolic link in the store leads out of it")
    try:
        data = read_limited(store, path, what)
    except FileNotFoundError:
        return None
    return parse_shared_record(store, run_id, load_json_object(data, what), what)


_TYPES: dict[str, tuple[type, ...]] = {
    "notebook_hash": (str,),
    "kernel": (str,),
    "parameters": (dict,),
    "parameter_sources": (dict,),
    "defaults": (dict,),
    "started_at": (str,),
    "finished_at": (str, type(None)),
    "duration_s": (int, float, type(None)),
    "values": (dict,),
    "metrics": (dict,),
    "artifacts": (list,),
    "warnings": (list,),
    "error": (dict, type(None)),
    "git": (dict, type(None)),
    "issue": (dict, type(None)),
    "environment": (dict, type(None)),
    "unreproducible": (list, type(None)),
    "host": (str,),
    "pid": (int, type(None)),
    "mlflow_run_id": (str, type(None)),
}


def _problem(data: dict[str, Any], run_id: str) -> str | None:
    """What makes ``data`` no record of ``run_id`` (None: its shape is right)."""
    if data.get("id") != run_id:
        return f"its id {data.get('id')!r} is not its folder's name {run_id!r}"
    if not is_project_path(data.get("notebook")):
        return f"its notebook {data.get('notebook')!r} is not a path inside the project"
    if data.get("status") not in FINISHED:
        return f"its status {data.get('status')!r} is not one of a finished run ({', '.join(FINISHED)})"
    for key in ("batch_id", "rerun_of"):
        if data.get(key) is not None and not is_safe_id(data[key]):
            return f"its {key} {data[key]!r} is not an id"
    for key, kinds in _TYPES.items():
        if key in data and (not isinstance(data[key], kinds) or isinstance(data[key], bool)):
            return f"its {key} is a {type(data[key]).__name__}"
    metrics = data.get("metrics", {})
    if any(not isinstance(v, (int, float)) or isinstance(v, bool) for v in metrics.values()):
        return "a metric is not a number"
    if any(not isinstance(item, str) for item in [*data.get("artifacts", []), *data.get("warnings", [])]):
        return "an artifact or a warning is not a string"
    return None


def parse_shared_record(store: ArtifactStore, run_id: str, data: dict[str, Any], what: str) -> RunRecord:
    """``data`` (a record.json from the store) as a record whose artifacts point into this store."""
    problem = _problem(data, run_id)
    if problem is not None:
        raise InvalidInput(f"{what} is refused: {problem}")
    try:
        record = RunRecord.from_json(data)
        record.artifacts = [_rebased(store, run_id, url, what) for url in record.artifacts]
        for value in record.values.values():
            if isinstance(value, dict) and value.get("artifact") is not None:
                value["artifact"] = _rebased(store, run_id, value["artifact"], what)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise InvalidInput(f"{what} is not a run record: {exc}") from None
    return record


def _rebased(store: ArtifactStore, run_id: str, url: object, what: str) -> str:
    """The URL in this store of an artifact the writer named ``url`` in theirs (``.../<run id>/x``)."""
    marker = f"/{run_id}/"
    text = url if isinstance(url, str) else ""
    start = text.find(marker)
    inside = text[start + len(marker) :] if start >= 0 else ""
    parts = inside.split("/")
    if not inside or "\\" in inside or "\x00" in inside or any(p in ("", ".", "..") for p in parts):
        raise InvalidInput(f"{what} is refused: its artifact {url!r} is not inside the run's folder")
    return store.url_of(store.path(run_id, *parts))
