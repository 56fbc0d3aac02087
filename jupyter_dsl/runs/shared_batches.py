"""A batch's state as JSON in the artifact store (``<store>/batches/<batch id>.json``), and back.

The driver writes it when the batch starts and when it ends (``share_batch_state``); a teammate's
``runs --sync`` reads the ones that are new or changed (``import_batch``) into its own index, so
``jupyter dsl batches``, ``runs --batch`` and ``plot`` show the batch there too. The file holds the
rows of the batch and its parameter sets (not the driver's lease: a teammate never drives it).
Read from the store it is untrusted: checked, refused whole with ``InvalidInput`` naming it.
"""

from __future__ import annotations

import json
import time
from typing import Any

from ..batch.state import BatchStore
from ..errors import DslError, InvalidInput
from ..project.database import transaction
from ..project.settings import Project
from .artifacts import ArtifactStore, open_artifacts
from .records import canonical_json
from .shared_records import is_project_path, is_safe_id, load_json_object, read_limited
from .store import RunStore

BATCHES_DIR = "batches"  # beside the run folders in the store
FORMAT = "jupyter-dsl.batch/1"
BATCH_STATUSES = ("running", "finished", "cancelled", "lost")
SET_STATES = ("queued", "running", "done")
_BATCH_COLUMNS = "id, notebook, notebook_hash, kernel, grid, options, status, total, created_at, finished_at"
_SET_COLUMNS = "identity, position, parameters, sources, state, run_id"


def batch_state_path(store: ArtifactStore, batch_id: str) -> str:
    return f"{store.base}/{BATCHES_DIR}/{batch_id}.json"


def export_batch(runs: RunStore, batch_id: str) -> dict[str, Any]:
    """The batch's rows as the JSON written to the store."""
    row = runs.conn.execute(f"SELECT {_BATCH_COLUMNS} FROM batches WHERE id = ?", (batch_id,)).fetchone()  # noqa: S608
    if row is None:
        raise InvalidInput(f"no batch {batch_id!r} in the run index")
    batch = dict(row)
    batch["grid"], batch["options"] = json.loads(batch["grid"]), json.loads(batch["options"])
    sets = [
        {**dict(s), "parameters": json.loads(s["parameters"]), "sources": json.loads(s["sources"])}
        for s in runs.conn.execute(
            f"SELECT {_SET_COLUMNS} FROM batch_sets WHERE batch_id = ? ORDER BY position",  # noqa: S608
            (batch_id,),
        ).fetchall()
    ]
    return {"format": FORMAT, "batch": batch, "sets": sets}


def write_batch_state(store: ArtifactStore, runs: RunStore, batch_id: str) -> None:
    data = export_batch(runs, batch_id)
    store.write_file(batch_state_path(store, batch_id), json.dumps(data, indent=1, ensure_ascii=False))


def share_batch_state(project: Project, batch_id: str) -> str | None:
    """Write the batch's state to the artifact store; a warning when the store cannot be written
    (the batch itself goes on: its runs' records are written by each run)."""
    try:
        store = open_artifacts(project)
        with RunStore(project.database_path) as runs:
            BatchStore(runs)  # the batch tables exist
            write_batch_state(store, runs, batch_id)
    except (DslError, OSError) as exc:
        why = exc.message if isinstance(exc, DslError) else f"{type(exc).__name__}: {exc}"
        return f"the state of batch {batch_id} was not written to the artifact store: {why}"
    return None


def _problem(data: dict[str, Any], batch_id: str) -> str | None:
    batch, sets = data.get("batch"), data.get("sets")
    if data.get("format") != FORMAT or not isinstance(batch, dict) or not isinstance(sets, list):
        return f"it is not a batch state ({FORMAT})"
    if batch.get("id") != batch_id:
        return f"its id {batch.get('id')!r} is not its file's name {batch_id!r}"
    if not is_project_path(batch.get("notebook")):
        return f"its notebook {batch.get('notebook')!r} is not a path inside the project"
    if batch.get("status") not in BATCH_STATUSES:
        return f"its status {batch.get('status')!r} is not one of {', '.join(BATCH_STATUSES)}"
    for key, kinds in (
        ("notebook_hash", (str,)),
        ("kernel", (str,)),
        ("grid", (dict,)),
        ("options", (dict,)),
        ("total", (int,)),
        ("created_at", (str,)),
        ("finished_at", (str, type(None))),
    ):
        if not isinstance(batch.get(key), kinds) or isinstance(batch.get(key), bool):
            return f"its {key} is a {type(batch.get(key)).__name__}"
    for item in sets:
        if not isinstance(item, dict) or not _set_ok(item):
            return f"a parameter set is not one: {str(item)[:120]}"
    return None


def _set_ok(item: dict[str, Any]) -> bool:
    return (
        is_safe_id(item.get("identity"))
        and isinstance(item.get("position"), int)
        and not isinstance(item.get("position"), bool)
        and isinstance(item.get("parameters"), dict)
        and isinstance(item.get("sources"), dict)
        and item.get("state") in SET_STATES
        and (item.get("run_id") is None or is_safe_id(item.get("run_id")))
    )


def read_batch(store: ArtifactStore, batch_id: str) -> dict[str, Any]:
    """The checked state of ``batch_id`` from the store (FileNotFoundError when gone)."""
    path = batch_state_path(store, batch_id)
    what = f"the batch state {store.url_of(path)}"
    data = load_json_object(read_limited(store, path, what), what)
    problem = _problem(data, batch_id)
    if problem is not None:
        raise InvalidInput(f"{what} is refused: {problem}")
    return data


def import_batch(runs: RunStore, data: dict[str, Any]) -> None:
    """Put a checked batch state into the index, replacing an earlier copy of it. A batch that is
    still running elsewhere shows as running here for as long as a driver's heartbeat would
    (``batch.state.STALE_S``) after each sync; its file is read again at every sync."""
    BatchStore(runs)  # the batch tables exist
    batch = data["batch"]
    running = batch["status"] == "running"
    with transaction(runs.conn):
        runs.conn.execute("DELETE FROM batch_sets WHERE batch_id = ?", (batch["id"],))
        runs.conn.execute("DELETE FROM batches WHERE id = ?", (batch["id"],))
        runs.conn.execute(
            "INSERT INTO batches (id, notebook, notebook_hash, kernel, grid, options, status, total, "
            "heartbeat_at, created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                batch["id"], batch["notebook"], batch["notebook_hash"], batch["kernel"],
                canonical_json(batch["grid"]), canonical_json(batch["options"]), batch["status"],
                batch["total"], time.time() if running else None, batch["created_at"], batch["finished_at"],
            ),
        )  # fmt: skip
        runs.conn.executemany(
            "INSERT OR REPLACE INTO batch_sets (batch_id, identity, position, parameters, sources, state, "
            "run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    batch["id"], s["identity"], s["position"], canonical_json(s["parameters"]),
                    canonical_json(s["sources"]), s["state"], s.get("run_id"),
                )
                for s in data["sets"]
            ],
        )  # fmt: skip
