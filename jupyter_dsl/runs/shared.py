"""Runs that travel: the records and batch states in the artifact store, indexed by every clone.

Every finished run writes its record as JSON beside its artifacts (``<store>/<run id>/record.json``)
and every batch its state (``<store>/batches/<batch id>.json``). A teammate whose ``[runs] artifacts``
names the same store (a shared folder, an ``s3://`` bucket) calls :func:`index_shared_runs`
(``jupyter dsl runs --sync``, ``%dsl runs --sync``, ``jupyter dsl sync``): the records and batch
states its own index (``.dsl/dsl.sqlite``) lacks are read and indexed, so it lists, shows, charts and
reruns those runs and opens their output notebooks.

Incremental: one listing of the store's top folder; only run folders whose id the index does not
hold are read (a run's record never changes once written), and only batch files that are new or
changed since the last sync (their listing's size and time, remembered per store). Records of this
clone that the store lacks (a run killed hard, recorded before its store was shared) are written to
it at the same time, once. A record or batch state the store holds that is refused (malformed,
hostile) is skipped with a message naming it; the others are indexed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..batch.state import BatchStore
from ..errors import ConfigError, DslError
from ..project.database import ensure_schema, transaction
from ..project.settings import Project
from .artifacts import RECORD_NAME, ArtifactStore, open_artifacts
from .records import FINISHED, RunRecord
from .shared_batches import BATCHES_DIR, import_batch, read_batch, write_batch_state
from .shared_records import is_safe_id, read_shared_record
from .store import RunStore

__all__ = ["SharedRunsResult", "SkippedEntry", "index_shared_runs", "sync_words"]

SCHEMA = "shared_runs"
SCHEMA_VERSION = 1
_STATEMENTS = [
    # what this index knows of a store: runs whose record the store holds, batch files read (stamp)
    """CREATE TABLE IF NOT EXISTS shared_entries (
        store TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        stamp TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (store, kind, name)
    ) WITHOUT ROWID""",
]
_CHUNK = 500  # records indexed per transaction


@dataclass
class SkippedEntry:
    name: str  # the run id or batch id
    reason: str  # the message, naming the file's URL


@dataclass
class SharedRunsResult:
    """What one sync with the artifact store did."""

    store: str  # the store's URL
    runs: list[str] = field(default_factory=list)  # run ids indexed from the store now
    batches: list[str] = field(default_factory=list)  # batch ids indexed (or updated) now
    published: list[str] = field(default_factory=list)  # this clone's records the store lacked, written
    skipped: list[SkippedEntry] = field(default_factory=list)  # refused records and batch states
    pending: list[str] = field(default_factory=list)  # run folders without a record yet (still running)
    read: int = 0  # record and batch files read from the store

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def sync_words(result: SharedRunsResult) -> str:
    """What a sync did, in one line, then a line for each file it refused (every surface says this)."""
    said = (
        f"synced with {result.store}: {len(result.runs)} new runs, {len(result.batches)} batches indexed"
        + (f", {len(result.published)} of this clone's records written to it" if result.published else "")
        + (f", {len(result.pending)} runs still without a record" if result.pending else "")
    )
    return "\n".join([said, *(f"skipped: {skipped.reason}" for skipped in result.skipped)])


def index_shared_runs(project: Project) -> SharedRunsResult:
    """Index the run records and batch states of the project's artifact store that the project's
    run index lacks; write the store the records of this index it lacks. ``ConfigError`` when the
    store cannot be opened; a refused file is reported in ``skipped``, never raised."""
    store = open_artifacts(project)
    result = SharedRunsResult(store.url)
    with RunStore(project.database_path) as runs:
        ensure_schema(runs.conn, SCHEMA, SCHEMA_VERSION, _STATEMENTS)
        folders = _list_names(store, store.base)
        _index_records(store, runs, sorted(n for n in folders if is_safe_id(n) and n != BATCHES_DIR), result)
        _publish_own(store, runs, folders, result)
        _index_batches(store, runs, result)
    return result


def _list_names(store: ArtifactStore, path: str) -> dict[str, dict[str, Any]]:
    """The entries of a store folder by name, with their listing details (fresh, never cached)."""
    store.fs.invalidate_cache(path)
    try:
        entries = store.fs.ls(path, detail=True)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except (OSError, ValueError) as exc:  # no access, no such bucket, the endpoint unreachable...
        raise ConfigError(
            f"cannot list the artifact store {store.url_of(path)}: {exc}",
            hint="Check [runs] artifacts in dsl.toml and your access to it.",
        ) from exc
    return {str(entry["name"]).rstrip("/").rsplit("/", 1)[-1]: entry for entry in entries}


def _seen(runs: RunStore, store: ArtifactStore, kind: str) -> dict[str, str]:
    rows = runs.conn.execute(
        "SELECT name, stamp FROM shared_entries WHERE store = ? AND kind = ?", (store.url, kind)
    ).fetchall()
    return {row["name"]: row["stamp"] for row in rows}


def _remember(runs: RunStore, store: ArtifactStore, kind: str, stamps: dict[str, str]) -> None:
    with transaction(runs.conn):
        runs.conn.executemany(
            "INSERT OR REPLACE INTO shared_entries (store, kind, name, stamp) VALUES (?, ?, ?, ?)",
            [(store.url, kind, name, stamp) for name, stamp in stamps.items()],
        )


def _index_records(store: ArtifactStore, runs: RunStore, names: list[str], result: SharedRunsResult) -> None:
    known = {row[0] for row in runs.conn.execute("SELECT id FROM runs").fetchall()}
    found: list[RunRecord] = []
    for name in (n for n in names if n not in known):
        try:
            record = read_shared_record(store, name)
        except DslError as exc:
            result.read += 1
            result.skipped.append(SkippedEntry(name, exc.message))
            continue
        except OSError as exc:
            result.skipped.append(SkippedEntry(name, f"{store.url_of(store.path(name, RECORD_NAME))}: {exc}"))
            continue
        if record is None:
            result.pending.append(name)
            continue
        result.read += 1
        found.append(record)
    for start in range(0, len(found), _CHUNK):
        chunk = found[start : start + _CHUNK]
        runs.insert_many(chunk)
        _remember(runs, store, "run", {record.id: "" for record in chunk})
        result.runs += [record.id for record in chunk]


def _publish_own(
    store: ArtifactStore, runs: RunStore, folders: dict[str, Any], result: SharedRunsResult
) -> None:
    """Write to the store the finished records of this index it lacks (checked once per run)."""
    seen = _seen(runs, store, "run")
    marks = ", ".join("?" for _ in FINISHED)
    rows = runs.conn.execute(f"SELECT id FROM runs WHERE status IN ({marks})", FINISHED).fetchall()  # noqa: S608
    checked: dict[str, str] = {}
    for run_id in (str(row[0]) for row in rows if row[0] not in seen):
        if run_id not in folders or not store.fs.exists(store.path(run_id, RECORD_NAME)):
            try:
                store.write_record(runs.get(run_id))
            except OSError as exc:
                result.skipped.append(SkippedEntry(run_id, f"cannot write its record to {store.url}: {exc}"))
                continue
            result.published.append(run_id)
        checked[run_id] = ""
    if checked:
        _remember(runs, store, "run", checked)


def _stamp(entry: dict[str, Any]) -> str:
    """What changes when a file of the store is written again: its size and time (or ETag)."""
    when = entry.get("mtime") or entry.get("LastModified") or entry.get("ETag") or entry.get("created")
    return f"{entry.get('size')}:{when}"


def _index_batches(store: ArtifactStore, runs: RunStore, result: SharedRunsResult) -> None:
    entries = _list_names(store, f"{store.base}/{BATCHES_DIR}")
    BatchStore(runs)  # the batch tables exist
    seen = _seen(runs, store, "batch")
    own = {
        str(row[0])
        for row in runs.conn.execute("SELECT id FROM batches").fetchall()
        if str(row[0]) not in seen
    }
    _publish_own_batches(store, runs, own, result)
    stamps: dict[str, str] = {}
    for name, entry in sorted(entries.items()):
        batch_id = name.removesuffix(".json")
        if not name.endswith(".json") or batch_id in own or not is_safe_id(batch_id):
            continue
        stamp = _stamp(entry)
        if seen.get(batch_id) == stamp and stamp:
            continue
        result.read += 1
        try:
            data = read_batch(store, batch_id)
        except DslError as exc:
            result.skipped.append(SkippedEntry(batch_id, exc.message))
            continue
        except OSError as exc:
            result.skipped.append(SkippedEntry(batch_id, f"{entry.get('name')}: {exc}"))
            continue
        import_batch(runs, data)
        result.batches.append(batch_id)
        # a batch still running elsewhere is read again at the next sync (its heartbeat, here)
        stamps[batch_id] = "" if data["batch"]["status"] == "running" else stamp
    if stamps:
        _remember(runs, store, "batch", stamps)


def _publish_own_batches(
    store: ArtifactStore, runs: RunStore, own: set[str], result: SharedRunsResult
) -> None:
    """Write again the state of this clone's batches that ended since the store last got it: one whose
    driver died is marked lost here, by a reader, never by its driver (once per batch and status)."""
    told = _seen(runs, store, "own-batch")
    statuses = {str(r["id"]): str(r["status"]) for r in runs.conn.execute("SELECT id, status FROM batches")}
    changed = {i: s for i, s in statuses.items() if i in own and s != "running" and told.get(i) != s}
    for batch_id in sorted(changed):
        try:
            write_batch_state(store, runs, batch_id)
        except OSError as exc:
            result.skipped.append(SkippedEntry(batch_id, f"cannot write its state to {store.url}: {exc}"))
            del changed[batch_id]
    if changed:
        _remember(runs, store, "own-batch", changed)
