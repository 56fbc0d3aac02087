"""Batch state in the run store: leases, claims, a dead driver's runs marked lost, derived run states."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from jupyter_dsl.batch.plot import chart_data
from jupyter_dsl.batch.state import BatchStore, NewSet
from jupyter_dsl.errors import Conflict, InvalidInput, NotFound
from jupyter_dsl.runs.listing import list_runs
from jupyter_dsl.runs.records import RunError, RunRecord, new_run_id
from jupyter_dsl.runs.store import RunQuery, RunStore

SETS = [NewSet("id-a", {"alpha": 0.1}, {"alpha": "grid.yaml:grid"}), NewSet("id-b", {"alpha": 0.2}, {})]


@pytest.fixture()
def store(tmp_path: Path):
    runs = RunStore(tmp_path / "dsl.sqlite")
    yield runs
    runs.close()


def new_batch(batches: BatchStore, token: str = "driver-1", batch_id: str = "b1") -> None:
    batches.create(
        batch_id,
        notebook="nb/x.ipynb",
        notebook_hash="h",
        kernel="python3",
        grid={"grid": {"alpha": [0.1, 0.2]}},
        options={"workers": 2},
        sets=SETS,
        token=token,
    )


def record(identity: str, status: str, batch_id: str = "b1", pid: int | None = None) -> RunRecord:
    return RunRecord(
        id=new_run_id(),
        notebook="nb/x.ipynb",
        notebook_hash="h",
        parameters={"alpha": 0.1},
        kernel="python3",
        status=status,
        identity=identity,
        batch_id=batch_id,
        pid=pid,
        host=__import__("socket").gethostname(),
    )


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_new_batch_is_all_queued(store: RunStore) -> None:
    batches = BatchStore(store)
    new_batch(batches)
    state = batches.state("b1")
    assert state.status == "running"
    assert [(r.position, r.state, r.parameters) for r in state.runs] == [
        (0, "queued", {"alpha": 0.1}),
        (1, "queued", {"alpha": 0.2}),
    ]
    assert state.counts == {"queued": 2}
    with pytest.raises(NotFound):
        batches.state("nope")


def test_states_follow_claims_and_records(store: RunStore) -> None:
    batches = BatchStore(store)
    new_batch(batches)
    run = record("id-a", "running")
    assert batches.claim("b1", "id-a", "driver-1", run.id)
    assert batches.state("b1").runs[0].state == "running"  # claimed, record not stored yet
    store.insert(run)
    run.status, run.duration_s, run.metrics = "failed", 1.5, {"auc": 0.7}
    run.error = RunError(2, "ValueError", "bad")
    store.update(run)
    batches.release("b1", "id-a", "driver-1", run.id)
    first = batches.state("b1").runs[0]
    assert (first.state, first.run_id, first.duration_s, first.error) == (
        "failed",
        run.id,
        1.5,
        "ValueError: bad",
    )
    assert first.metrics == {"auc": 0.7}


def test_a_claim_needs_the_lease_and_no_success(store: RunStore) -> None:
    batches = BatchStore(store)
    new_batch(batches)
    assert not batches.claim("b1", "id-a", "another-driver", None)  # not the batch's driver
    store.insert(record("id-a", "succeeded"))
    assert not batches.claim("b1", "id-a", "driver-1", None)  # already succeeded in this batch
    assert batches.claim("b1", "id-b", "driver-1", None)
    assert not batches.claim("b1", "id-b", "driver-1", None)  # already claimed


def test_concurrent_claims_of_one_set_let_exactly_one_through(tmp_path: Path) -> None:
    with RunStore(tmp_path / "dsl.sqlite") as runs:
        new_batch(BatchStore(runs))
    won: list[bool] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        with RunStore(tmp_path / "dsl.sqlite") as runs:  # each thread its own connection
            batches = BatchStore(runs)
            barrier.wait()
            won.append(batches.claim("b1", "id-a", "driver-1", None))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False] * 7 + [True]


def test_resume_is_refused_while_the_driver_lives(store: RunStore) -> None:
    batches = BatchStore(store)
    new_batch(batches)  # this process is the driver, with a fresh heartbeat
    with pytest.raises(Conflict, match="batch b1 is still running"):
        batches.take_over("b1", SETS, "driver-2")


def test_a_dead_drivers_running_records_become_lost_and_resume_takes_over(store: RunStore) -> None:
    batches = BatchStore(store)
    new_batch(batches)
    pid = dead_pid()
    store.conn.execute("UPDATE batches SET driver_pid = ? WHERE id = 'b1'", (pid,))
    running = record("id-a", "running", pid=pid)
    assert batches.claim("b1", "id-a", "driver-1", running.id)
    store.insert(running)
    state = batches.state("b1")  # a reader notices the dead driver
    assert state.status == "lost"
    assert [r.state for r in state.runs] == ["lost", "queued"]
    assert store.get(running.id).status == "lost"
    batches.take_over("b1", SETS, "driver-2")
    assert batches.state("b1").status == "running"
    assert [r.state for r in batches.state("b1").runs] == ["queued", "queued"]
    assert not batches.claim("b1", "id-a", "driver-1", None)  # the old driver lost its lease
    assert batches.claim("b1", "id-a", "driver-2", None)
    assert batches.heartbeat("b1", "driver-1") == (False, False)


def test_generic_reaping_marks_a_batch_run_lost_and_a_single_run_killed(store: RunStore) -> None:
    pid = dead_pid()
    in_batch, alone = record("id-a", "running", pid=pid), record("id-x", "running", batch_id=None, pid=pid)
    alone.batch_id = None
    store.insert_many([in_batch, alone])
    store.reap()
    assert store.get(in_batch.id).status == "lost"
    assert store.get(alone.id).status == "killed"


def test_cancel_request_reaches_the_heartbeat(store: RunStore) -> None:
    batches = BatchStore(store)
    new_batch(batches)
    assert batches.heartbeat("b1", "driver-1") == (True, False)
    batches.request_cancel("b1")
    assert batches.heartbeat("b1", "driver-1") == (True, True)
    batches.finish("b1", "driver-1", "cancelled")
    assert batches.state("b1").status == "cancelled"
    assert batches.list()[0]["status"] == "cancelled"


def test_a_batch_is_found_by_any_unique_part_of_its_id(store: RunStore, tmp_path: Path) -> None:
    batches = BatchStore(store)
    first, second = "20250131-142501-3f9a1c", "20250131-150000-77aa0e"
    new_batch(batches, batch_id=first)
    new_batch(batches, batch_id=second)
    store.insert(record("id-a", "succeeded", batch_id=first))
    for part in ("3f9a1c", "142501", "0131-1425", "3F9A", first):
        assert batches.find_id(part) == first
    with pytest.raises(InvalidInput) as ambiguous:
        batches.find_id("20250131")
    assert ambiguous.value.message == f"'20250131' matches several batches (2): {first}, {second}"
    with pytest.raises(NotFound) as unknown:
        batches.find_id("nope")
    assert unknown.value.message == "no batch 'nope'"
    database = tmp_path / "dsl.sqlite"
    listing = list_runs(database, RunQuery(batch_id="3f9a1c"))
    assert [r.batch_id for r in listing.table.runs] == [first]
    # an unknown batch is not "no runs match", nor "no succeeded runs to plot"
    with pytest.raises(NotFound, match="no batch 'nope'"):
        list_runs(database, RunQuery(batch_id="nope"))
    with pytest.raises(NotFound, match="no batch 'nope'"):
        chart_data(database, RunQuery(batch_id="nope"), "alpha", "auc")
    with pytest.raises(InvalidInput, match="matches several batches"):
        chart_data(database, RunQuery(batch_id="0131"), "alpha", "auc")


def test_the_parameters_that_vary_follow_one_rule() -> None:
    """One rule for every surface (the CLI's plan and table, the server's preview and batch state)."""
    from jupyter_dsl.runs.table import shown_values, varying

    sets = [
        {"a": 1, "b": {"x": 1, "y": 2}, "c": "same", "d": 1},
        {"a": 1.0, "b": {"y": 2, "x": 1}, "c": "same"},
    ]
    assert varying(sets) == ["a", "d"]  # 1 is not 1.0; key order is no difference; a missing value is
    assert varying(sets[:1]) == ["a", "b", "c", "d"]  # one set: every name
    assert varying([]) == []
    assert shown_values(sets[0], ["d", "a", "missing"]) == "d=1 a=1"
    assert shown_values({"f": 0.1234567891, "s": "x y"}) == "f=0.123457 s=x y"
