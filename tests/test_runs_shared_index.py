"""Indexing the artifact store's run records and batch states: incremental, and safe with bad input.

The records here are written to a real shared folder the way a teammate's runs write them
(``ArtifactStore.write_record``, the batch state's JSON); the two-clone tests with real runs are in
test_runs_shared.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from runs_support import dsl, make_project

from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.runs.artifacts import RECORD_NAME, ArtifactStore
from jupyter_dsl.runs.records import RunRecord, new_run_id
from jupyter_dsl.runs.shared import index_shared_runs
from jupyter_dsl.runs.shared_batches import FORMAT
from jupyter_dsl.runs.store import RunQuery, RunStore


@pytest.fixture()
def shared(tmp_path: Path) -> Path:
    return tmp_path / "shared-artifacts"


@pytest.fixture()
def project(tmp_path: Path, shared: Path) -> Project:
    root = make_project(tmp_path / "bob", "parameterized.ipynb", runs=f'artifacts = "{shared}"')
    return find_project(root)


def teammate_record(shared: Path, index: int, *, writer_base: str = "/home/alice/proj/.dsl/artifacts") -> str:
    """A finished record as a teammate's run leaves it in the store (their own URLs inside)."""
    run_id = f"20260101-000000-{index:06x}"
    record = RunRecord(
        id=run_id,
        notebook="nb/parameterized.ipynb",
        notebook_hash="0" * 64,
        parameters={"alpha": index / 10},
        kernel="python3",
        status="succeeded",
        metrics={"score": float(index)},
        artifacts=[f"file://{writer_base}/{run_id}/parameterized.ipynb"],
        finished_at="2026-01-01T00:00:00.000Z",
    )
    ArtifactStore(str(shared)).write_record(record)
    return run_id


def test_a_second_sync_reads_only_the_new_records(project: Project, shared: Path) -> None:
    first = [teammate_record(shared, i) for i in range(300)]
    result = index_shared_runs(project)
    assert sorted(result.runs) == sorted(first) and result.read == 300 and result.skipped == []
    later = [teammate_record(shared, 300 + i) for i in range(2)]
    again = index_shared_runs(project)
    assert sorted(again.runs) == sorted(later)
    assert again.read == 2  # the 300 known records were not read again
    assert index_shared_runs(project).read == 0
    with RunStore(project.database_path) as runs:
        assert runs.count(RunQuery(limit=None)) == 302
        record = runs.get(later[0])
    # the writer's URL is rebased onto this clone's store
    assert record.output_notebook == f"file://{shared}/{later[0]}/parameterized.ipynb"


def test_a_run_folder_without_a_record_is_pending_until_its_record_arrives(
    project: Project, shared: Path
) -> None:
    (shared / "20260101-000000-abcdef" / "files").mkdir(parents=True)
    result = index_shared_runs(project)
    assert result.pending == ["20260101-000000-abcdef"] and result.runs == []


def _write(shared: Path, run_id: str, text: str) -> None:
    (shared / run_id).mkdir(parents=True, exist_ok=True)
    (shared / run_id / RECORD_NAME).write_text(text, encoding="utf-8")


def test_broken_and_hostile_records_are_skipped_by_name_and_the_others_indexed(
    project: Project, shared: Path
) -> None:
    good = teammate_record(shared, 1)
    _write(shared, "20260101-000000-badjsn", "{not json")
    _write(shared, "20260101-000000-notobj", "[1, 2]")
    template = json.loads((shared / good / RECORD_NAME).read_text())
    hostile = {
        "20260101-000000-otherid": {**template, "id": "20260101-000000-elsewh"},
        "20260101-000000-escape": {**template, "notebook": "../../etc/passwd.ipynb"},
        "20260101-000000-absolu": {**template, "notebook": "/etc/passwd.ipynb"},
        "20260101-000000-artout": {**template, "artifacts": ["file:///etc/passwd"]},
        "20260101-000000-dotdot": {**template, "artifacts": ["s3://b/20260101-000000-dotdot/../../x.ipynb"]},
        "20260101-000000-metric": {**template, "metrics": {"score": "high"}},
        "20260101-000000-runnin": {**template, "status": "running"},
        "20260101-000000-nested": {**template, "git": {"commit": "x", "bogus": 1}},
    }
    for run_id, data in hostile.items():
        data = {**data, "id": data["id"] if data["id"] != good else run_id}
        _write(shared, run_id, json.dumps(data))
    (shared / "batches").mkdir()
    (shared / "batches" / "20260101-000000-batch1.json").write_text('{"format": "other"}')
    result = index_shared_runs(project)
    assert result.runs == [good]
    skipped = {s.name: s.reason for s in result.skipped}
    assert sorted(skipped) == sorted(
        ["20260101-000000-badjsn", "20260101-000000-notobj", *hostile, "20260101-000000-batch1"]
    )
    for name, reason in skipped.items():
        assert name in reason  # each message names the file (its URL holds the id)
    assert "not valid JSON" in skipped["20260101-000000-badjsn"]
    assert "not a path inside the project" in skipped["20260101-000000-escape"]
    assert "not inside the run's folder" in skipped["20260101-000000-artout"]
    assert "not inside the run's folder" in skipped["20260101-000000-dotdot"]
    assert "is not its folder's name" in skipped["20260101-000000-otherid"]
    with RunStore(project.database_path) as runs:
        assert [s.id for s in runs.query(RunQuery(limit=None))] == [good]
    # the CLI says each one and still lists the good run
    shown = dsl(project.root, "runs", "--sync")
    assert "skipped: the run record file://" in shown.stderr and "20260101-000000-escape" in shown.stderr
    assert good in shown.stdout


def test_a_batch_state_is_indexed_and_read_again_only_when_it_changed(project: Project, shared: Path) -> None:
    run_id = teammate_record(shared, 1)
    batch_id = "20260101-000000-b47c40"
    state = {
        "format": FORMAT,
        "batch": {
            "id": batch_id, "notebook": "nb/parameterized.ipynb", "notebook_hash": "0" * 64,
            "kernel": "python3", "grid": {"grid": {"alpha": [0.1]}}, "options": {}, "status": "finished",
            "total": 1, "created_at": "2026-01-01T00:00:00.000Z", "finished_at": "2026-01-01T00:01:00.000Z",
        },
        "sets": [
            {"identity": "i" * 32, "position": 0, "parameters": {"alpha": 0.1}, "sources": {},
             "state": "done", "run_id": run_id},
        ],
    }  # fmt: skip
    (shared / "batches").mkdir()
    path = shared / "batches" / f"{batch_id}.json"
    path.write_text(json.dumps(state))
    assert index_shared_runs(project).batches == [batch_id]
    assert index_shared_runs(project).batches == []  # unchanged: not read again
    state["sets"][0]["parameters"] = {"alpha": 0.25}
    path.write_text(json.dumps(state, indent=2))  # another size
    assert index_shared_runs(project).batches == [batch_id]
    listed = dsl(project.root, "batches", batch_id, "--json").stdout
    assert json.loads(listed)["runs"][0]["parameters"] == {"alpha": 0.25}


def test_this_clones_records_the_store_lacks_are_written_to_it_once(project: Project, shared: Path) -> None:
    record = RunRecord(
        id=new_run_id(), notebook="nb/parameterized.ipynb", notebook_hash="0" * 64, parameters={},
        kernel="python3", status="killed", finished_at="2026-01-01T00:00:00.000Z",
    )  # fmt: skip
    with RunStore(project.database_path) as runs:
        runs.insert(record)  # as a run killed hard leaves it: in the index, no record.json in the store
    result = index_shared_runs(project)
    assert result.published == [record.id]
    written = json.loads((shared / record.id / RECORD_NAME).read_text())
    assert written["status"] == "killed" and written["id"] == record.id
    assert index_shared_runs(project).published == []


def test_a_run_folder_that_is_a_symbolic_link_out_of_the_store_is_refused(
    project: Project, shared: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    run_id = teammate_record(outside, 7)
    shared.mkdir(parents=True, exist_ok=True)
    (shared / run_id).symlink_to(outside / run_id, target_is_directory=True)
    result = index_shared_runs(project)
    assert result.runs == [] and [s.name for s in result.skipped] == [run_id]
    assert "symbolic link" in result.skipped[0].reason


def test_this_clones_batch_that_ended_without_its_driver_is_written_to_the_store(
    project: Project, shared: Path
) -> None:
    from jupyter_dsl.batch.state import BatchStore, NewSet

    batch_id = "20260101-000000-10571e"
    with RunStore(project.database_path) as runs:
        batches = BatchStore(runs)
        batches.create(
            batch_id, notebook="nb/parameterized.ipynb", notebook_hash="0" * 64, kernel="python3", grid={},
            options={}, sets=[NewSet("i" * 32, {"alpha": 0.1}, {})], token="t",
        )  # fmt: skip
        batches.finish(batch_id, "t", "lost")  # as a reader marks a batch whose driver died
    index_shared_runs(project)
    path = shared / "batches" / f"{batch_id}.json"
    state = json.loads(path.read_text())
    assert state["batch"]["status"] == "lost" and state["sets"][0]["parameters"] == {"alpha": 0.1}
    written = path.stat().st_mtime_ns
    assert index_shared_runs(project).batches == []  # its own batch is never read back as a teammate's
    assert path.stat().st_mtime_ns == written  # nor written again while its status is the same


def test_a_teammates_running_batch_is_read_at_every_sync_until_it_ends(
    project: Project, shared: Path
) -> None:
    batch_id = "20260101-000000-4a11ed"
    state = {
        "format": FORMAT,
        "batch": {
            "id": batch_id, "notebook": "nb/parameterized.ipynb", "notebook_hash": "0" * 64,
            "kernel": "python3", "grid": {}, "options": {}, "status": "running", "total": 1,
            "created_at": "2026-01-01T00:00:00.000Z", "finished_at": None,
        },
        "sets": [
            {"identity": "i" * 32, "position": 0, "parameters": {"alpha": 0.1}, "sources": {},
             "state": "running", "run_id": None},
        ],
    }  # fmt: skip
    (shared / "batches").mkdir(parents=True)
    path = shared / "batches" / f"{batch_id}.json"
    path.write_text(json.dumps(state))
    assert index_shared_runs(project).batches == [batch_id]
    assert json.loads(dsl(project.root, "batches", batch_id, "--json").stdout)["status"] == "running"
    assert index_shared_runs(project).batches == [batch_id]  # still running: read again
    state["batch"].update(status="cancelled", finished_at="2026-01-01T00:05:00.000Z")
    state["sets"][0]["state"] = "queued"
    path.write_text(json.dumps(state))
    assert index_shared_runs(project).batches == [batch_id]
    assert json.loads(dsl(project.root, "batches", batch_id, "--json").stdout)["status"] == "cancelled"
    assert index_shared_runs(project).batches == []  # ended: not read again
