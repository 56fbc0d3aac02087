"""The SQLite run index and the table views built from it (no kernels here: records made directly)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_dsl.errors import InvalidInput, NotFound
from jupyter_dsl.runs import MetricFilter, RunQuery, RunRecord, RunStore
from jupyter_dsl.runs.records import Environment, GitInfo, IssueInfo, RunError, run_identity
from jupyter_dsl.runs.table import RunsTable, varying_parameters

ENV = Environment("3.11.7", "CPython", "linux", "/usr/bin/python3", "f00d", {"numpy": "2.0", "pandas": "2.2"})


def make_record(index: int, **changes: object) -> RunRecord:
    record = RunRecord(
        id=f"20250101-000000-{index:06x}",
        notebook=f"nb/n{index % 3}.ipynb",
        notebook_hash="h",
        parameters={"alpha": index % 4 / 10, "seed": 1},
        kernel="python3",
        status=("succeeded", "failed")[index % 2],
        identity=run_identity("h", {"alpha": index % 4 / 10}),
        git=GitInfo("abc", "main", False, None),
        environment=ENV,
        issue=IssueInfo("local", 7 if index % 2 else 8, "Explore", "Churn"),
        started_at=f"2025-01-01T00:00:{index % 60:02d}.{index:03d}Z",
        metrics={"auc": index / 100, "loss": 1 - index / 100},
        values={
            "auc": {
                "kind": "number",
                "value": index / 100,
                "cell": 3,
                "cell_index": 2,
                "source": "jupyter_dsl",
            }
        },
        artifacts=[f"file:///a/{index}/n.ipynb"],
    )
    for key, value in changes.items():
        setattr(record, key, value)
    return record


@pytest.fixture()
def store(tmp_path: Path) -> RunStore:
    runs = RunStore(tmp_path / "dsl.sqlite")
    runs.insert_many(make_record(i) for i in range(60))
    return runs


def test_round_trip_keeps_every_field_and_packages_once(store: RunStore) -> None:
    record = make_record(100, error=RunError(3, "ValueError", "bad", ["Traceback", "ValueError: bad"], 4))
    store.insert(record)
    again = store.get(record.id)
    assert again.to_json() == record.to_json()
    assert again.environment is not None and again.environment.packages == {"numpy": "2.0", "pandas": "2.2"}
    assert store.conn.execute("SELECT count(*) FROM run_environments").fetchone()[0] == 1
    assert (
        "numpy" not in store.conn.execute("SELECT record FROM runs WHERE id = ?", (record.id,)).fetchone()[0]
    )


def test_get_by_unique_prefix_and_errors(store: RunStore) -> None:
    assert store.get("20250101-000000-00002a").id.endswith("2a")
    store.insert(make_record(0, id="20990101-000000-abcdef"))
    assert store.get("2099").id == "20990101-000000-abcdef"
    with pytest.raises(InvalidInput, match="matches several runs"):
        store.get("20250101")
    with pytest.raises(NotFound, match="no run"):
        store.get("1999")
    with pytest.raises(NotFound):
        store.get("")


def test_get_by_any_unique_part_of_the_id(store: RunStore) -> None:
    store.insert(make_record(0, id="20260315-142501-3f9a1c"))
    store.insert(make_record(0, id="20260315-142502-250101"))  # its random part is in other dates
    assert store.get("3f9a1c").id == "20260315-142501-3f9a1c"  # the random part
    assert store.get("3F9A").id == "20260315-142501-3f9a1c"  # any case, any unique piece
    assert store.get("0315-142501").id == "20260315-142501-3f9a1c"  # a piece from the middle
    assert store.get("250101").id == "20260315-142502-250101"  # also in every 20250101-... id
    with pytest.raises(InvalidInput) as several:
        store.get("0315-1425")
    assert "20260315-142501-3f9a1c" in several.value.message
    assert "20260315-142502-250101" in several.value.message
    with pytest.raises(InvalidInput, match=r"\(60\): .* and 52 more"):
        store.get("0-")
    with pytest.raises(NotFound, match="no run '3f9a1d'"):
        store.get("3f9a1d")
    with pytest.raises(NotFound):
        store.get("%")  # LIKE wildcards are taken literally


def test_listed_runs_carry_their_error_without_the_traceback(store: RunStore) -> None:
    failed = make_record(200, error=RunError(3, "ValueError", "bad alpha", ["Traceback", "ValueError"], 4))
    store.insert(failed)
    listed = {run.id: run for run in store.query(RunQuery(limit=None))}
    assert listed[failed.id].to_json()["error"] == {
        "cell": 4,
        "cell_index": 3,
        "ename": "ValueError",
        "evalue": "bad alpha",
    }
    assert listed["20250101-000000-000001"].error is None


def test_filters_by_notebook_status_issue_and_metric_threshold(store: RunStore) -> None:
    query = RunQuery(
        notebook="nb/n1.ipynb", status="succeeded", metrics=[MetricFilter("auc", ">", 0.3)], limit=None
    )
    found = store.query(query)
    expected = [i for i in range(60) if i % 3 == 1 and i % 2 == 0 and i / 100 > 0.3]
    assert sorted(int(r.id[-6:], 16) for r in found) == expected
    assert store.count(query) == len(expected)
    assert all(r.metrics["auc"] > 0.3 and r.status == "succeeded" for r in found)
    assert {r.issue for r in store.query(RunQuery(issue=7, limit=None))} == {7}
    both = store.query(
        RunQuery(metrics=[MetricFilter("auc", ">=", 0.5), MetricFilter("loss", "<", 0.445)], limit=None)
    )
    assert sorted(r.metrics["auc"] for r in both) == [i / 100 for i in range(56, 60)]
    assert len(store.query(RunQuery(limit=5))) == 5
    newest = store.query(RunQuery(limit=None))
    assert [r.started_at for r in newest] == sorted((r.started_at for r in newest), reverse=True)


def test_the_list_query_uses_the_indexes(store: RunStore) -> None:
    where, args = store._where(
        RunQuery(notebook="nb/n1.ipynb", status="succeeded", metrics=[MetricFilter("auc", ">", 0.3)])
    )
    plan = store.conn.execute(f"EXPLAIN QUERY PLAN SELECT id FROM runs{where}", args).fetchall()
    details = " ".join(row["detail"] for row in plan)
    assert "runs_by_notebook" in details and "SCAN runs" not in details


def test_metric_filter_parsing() -> None:
    assert MetricFilter.parse("auc>0.9") == MetricFilter("auc", ">", 0.9)
    assert MetricFilter.parse("loss <= 0.2") == MetricFilter("loss", "<=", 0.2)
    assert MetricFilter.parse("n=3") == MetricFilter("n", "=", 3.0)
    for bad in ("auc", ">0.9", "auc>high"):
        with pytest.raises(InvalidInput, match="metric filter"):
            MetricFilter.parse(bad)


def test_update_replaces_status_and_metrics(store: RunStore) -> None:
    record = store.get("20250101-000000-000001")
    record.status, record.metrics = "succeeded", {"auc": 0.99}
    store.update(record)
    assert store.query(RunQuery(metrics=[MetricFilter("loss", ">", -1)], notebook="nb/n1.ipynb", limit=None))
    rows = store.conn.execute(
        "SELECT name FROM run_metrics JOIN runs ON runs.pk = run_pk WHERE runs.id = ?", (record.id,)
    ).fetchall()
    assert [r["name"] for r in rows] == ["auc"]
    with pytest.raises(NotFound):
        store.update(make_record(999))


def test_identities_of_succeeded_runs(store: RunStore) -> None:
    ids = [run_identity("h", {"alpha": a}) for a in (0.0, 0.1, 0.2, 0.3, 0.9)]
    assert store.identities(ids) == {ids[0], ids[2]}  # alpha 0.1/0.3 only failed (odd indexes)
    assert store.identities(ids, status="failed") == {ids[1], ids[3]}


def test_reap_marks_runs_of_dead_processes_killed(tmp_path: Path) -> None:
    import socket

    store = RunStore(tmp_path / "dsl.sqlite")
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(gone.stdout)
    store.insert(make_record(1, status="running", host=socket.gethostname(), pid=dead_pid))
    store.insert(make_record(2, status="running", host=socket.gethostname(), pid=os.getpid()))
    store.insert(make_record(3, status="running", host="another-host", pid=dead_pid))
    assert store.reap() == ["20250101-000000-000001"]
    reaped = store.get("20250101-000000-000001")
    assert (
        reaped.status == "killed" and reaped.finished_at and "ended without finishing" in reaped.warnings[-1]
    )
    assert store.get("20250101-000000-000002").status == "running"
    assert store.get("20250101-000000-000003").status == "running"


def test_two_processes_write_the_same_index(tmp_path: Path) -> None:
    path = tmp_path / "dsl.sqlite"
    RunStore(path).close()
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_runs_store import make_record\n"
        "from jupyter_dsl.runs import RunStore\n"
        f"store = RunStore(__import__('pathlib').Path({str(path)!r}))\n"
        "for i in range(int(sys.argv[1]), int(sys.argv[1]) + 40): store.insert(make_record(i))\n"
    )
    workers = [subprocess.Popen([sys.executable, "-c", code, str(start)]) for start in (0, 1000)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 80
    assert conn.execute("SELECT count(*) FROM run_metrics").fetchone()[0] == 160


def test_table_shows_only_differing_parameters_and_metrics(store: RunStore) -> None:
    runs = store.query(RunQuery(notebook="nb/n0.ipynb", limit=4))
    table = RunsTable.of(runs)
    assert table.parameters == ["alpha"]  # seed is 1 everywhere
    assert table.metrics == ["auc", "loss"] and not table.show_notebook
    assert table.columns == ["id", "status", "started", "duration_s", "issue", "alpha", "auc", "loss"]
    csv_lines = table.to_csv().splitlines()
    assert csv_lines[0] == "id,notebook,status,started_at,duration_s,issue,param:alpha,metric:auc,metric:loss"
    assert len(csv_lines) == 5 and csv_lines[1].startswith(runs[0].id + ",nb/n0.ipynb,")
    single = RunsTable.of(runs[:1])
    assert single.parameters == ["alpha", "seed"]  # one run: nothing to compare, show them all
    mixed = RunsTable.of(store.query(RunQuery(limit=6)))
    assert mixed.show_notebook and "notebook" in mixed.columns


def test_varying_parameters_counts_a_missing_value_as_different(store: RunStore) -> None:
    runs = store.query(RunQuery(notebook="nb/n0.ipynb", limit=2))
    runs[0].parameters = {**runs[0].parameters, "extra": 1}
    runs[1].parameters = {**runs[1].parameters, "alpha": runs[0].parameters["alpha"]}
    assert varying_parameters(runs) == ["extra"]


def test_a_record_written_before_cells_were_numbered_from_1_still_loads(store: RunStore) -> None:
    """Records used to keep the failing cell's position (from 0) as ``cell``; they read as cell + 1."""
    old = make_record(300, error=RunError(2, "ValueError", "bad", ["Traceback"], 4))
    store.insert(old)
    data = old.to_json(packages=False)
    data["error"] = {"cell": 2, "ename": "ValueError", "evalue": "bad", "traceback": [], "execution_count": 4}
    data["values"] = {"auc": {"kind": "number", "value": 0.5, "cell": 1, "source": "jupyter_dsl"}}
    store.conn.execute("UPDATE runs SET record = ? WHERE id = ?", (json.dumps(data), old.id))
    store.conn.commit()
    loaded = store.get(old.id)
    assert loaded.error is not None and (loaded.error.cell, loaded.error.cell_index) == (3, 2)
    assert loaded.to_json()["error"]["cell"] == 3 and loaded.values["auc"]["cell"] == 2
    listed = {run.id: run for run in store.query(RunQuery(limit=None))}
    assert listed[old.id].error == {"cell": 3, "cell_index": 2, "ename": "ValueError", "evalue": "bad"}
