"""The core the sidebar's Batch and Runs sections call: a grid typed in an editor, a batch started in a
background thread, the batches of one notebook, a cheap "runs changed" stamp, a notebook's chart data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from batch_support import wait_for
from runs_support import NOTEBOOKS, make_project

from jupyter_dsl.batch.driver import BatchOptions, batch_state, plan_batch
from jupyter_dsl.batch.grid import GridProblems, editor_grid, expand
from jupyter_dsl.batch.plot import chart_data
from jupyter_dsl.batch.state import BatchStore, NewSet
from jupyter_dsl.errors import InvalidInput
from jupyter_dsl.notebook import parameters
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs.records import RunRecord, new_run_id
from jupyter_dsl.runs.service import RunService
from jupyter_dsl.runs.store import RunQuery, RunStore


@pytest.fixture(scope="module")
def cell() -> parameters.ParametersCell:
    # alpha: float = 0.5; epochs: int = 3; name: str; flag: bool; layers: list; options: dict; note: any
    return parameters.inspect(NOTEBOOKS / "parameterized.ipynb")


def test_editor_text_is_read_as_yaml_values_and_typed_by_the_cell(cell: parameters.ParametersCell) -> None:
    spec = editor_grid({"alpha": "0.1, 1", "name": "a, 'b c'", "layers": "[1, 2], [3]"})
    sets = expand(spec, cell)
    assert len(sets) == 2 * 2 * 2
    assert sets[0].values["alpha"] == 0.1 and sets[0].values["name"] == "a"
    assert {s.values["name"] for s in sets} == {"a", "b c"}
    assert {tuple(s.values["layers"]) for s in sets} == {(1, 2), (3,)}
    assert isinstance(sets[-1].values["alpha"], float)  # 1 became 1.0 for a float parameter
    assert sets[0].sources["alpha"] == "sidebar grid:grid"


def test_editor_lists_are_taken_as_given(cell: parameters.ParametersCell) -> None:
    sets = expand(editor_grid({"epochs": [1, 2, 3]}, {"name": "fixed"}), cell)
    assert [s.values["epochs"] for s in sets] == [1, 2, 3]
    assert all(s.values["name"] == "fixed" for s in sets)


def test_every_editor_problem_is_listed_naming_its_entry(cell: parameters.ParametersCell) -> None:
    with pytest.raises(GridProblems) as caught:
        expand(editor_grid({"alpha": "0.1, x", "nope": "1", "epochs": "1.5"}), cell)
    assert caught.value.problems == [
        "sidebar grid: grid.alpha[1]: expected float, got str 'x'",
        "sidebar grid: grid.nope: unknown parameter 'nope'",
        "sidebar grid: grid.epochs[0]: expected int, got float 1.5",
    ]
    assert isinstance(caught.value, InvalidInput) and caught.value.hint and "alpha" in caught.value.hint
    with pytest.raises(GridProblems) as unreadable:
        editor_grid({"alpha": "[1, 2"})
    assert unreadable.value.problems == [
        "sidebar grid: grid.alpha: cannot read '[1, 2' as values separated by commas"
    ]
    with pytest.raises(GridProblems) as empty:
        editor_grid({})
    assert empty.value.problems == ["sidebar grid: grid: is empty: nothing to run"]


def test_plan_batch_takes_an_editor_grid(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "parameterized.ipynb")
    project = find_project(root)
    plan = plan_batch(project, root / "nb/parameterized.ipynb", None, spec=editor_grid({"epochs": "1, 2"}))
    assert [s.values["epochs"] for s in plan.sets] == [1, 2]
    assert plan.to_json()["total"] == 2 and len(set(plan.identities)) == 2
    assert (
        not (root / ".dsl" / "dsl.sqlite").exists() or not BatchStore(RunStore(project.database_path)).list()
    )  # planning writes nothing


def test_batches_of_one_notebook(tmp_path: Path) -> None:
    with RunStore(tmp_path / "dsl.sqlite") as runs:
        batches = BatchStore(runs)
        for batch_id, notebook in (("b1", "nb/a.ipynb"), ("b2", "nb/b.ipynb"), ("b3", "nb/a.ipynb")):
            batches.create(
                batch_id, notebook=notebook, notebook_hash="h", kernel="python3", grid={}, options={},
                sets=[NewSet(f"{batch_id}-x", {"n": 1}, {})], token=f"t-{batch_id}",
            )  # fmt: skip
        assert {b["id"] for b in batches.list(notebook="nb/a.ipynb")} == {"b1", "b3"}
        assert {b["id"] for b in batches.list()} == {"b1", "b2", "b3"}
        assert batches.list(notebook="nb/none.ipynb") == []


def test_the_runs_stamp_changes_when_a_run_is_added_or_finishes(tmp_path: Path) -> None:
    with RunStore(tmp_path / "dsl.sqlite") as store:
        query = RunQuery(notebook="nb/a.ipynb")
        empty = store.stamp(query)
        record = RunRecord(new_run_id(), "nb/a.ipynb", "h", {"n": 1}, "python3", status="running")
        store.insert(record)
        added = store.stamp(query)
        assert added != empty and store.stamp(query) == added  # stable while nothing changes
        store.insert(RunRecord(new_run_id(), "nb/other.ipynb", "h", {}, "python3", status="succeeded"))
        assert store.stamp(query) == added  # another notebook's run
        record.status, record.finished_at = "succeeded", "2030-01-01T00:00:00"
        store.update(record)
        assert store.stamp(query) not in (added, empty)


def test_chart_data_of_a_notebooks_runs(tmp_path: Path) -> None:
    with RunStore(tmp_path / "dsl.sqlite") as store:
        for alpha, epochs, score in ((0.2, 1, 3.0), (0.1, 1, 2.0), (0.1, 2, 5.0)):
            record = RunRecord(
                new_run_id(),
                "nb/a.ipynb",
                "h",
                {"alpha": alpha, "epochs": epochs},
                "python3",
                status="succeeded",
            )
            record.metrics = {"score": score}
            store.insert(record)
        failed = RunRecord(
            new_run_id(), "nb/a.ipynb", "h", {"alpha": 9.0, "epochs": 1}, "python3", status="failed"
        )
        failed.metrics = {"score": 100.0}
        store.insert(failed)
    chart = chart_data(
        tmp_path / "dsl.sqlite", RunQuery(notebook="nb/a.ipynb"), "alpha", "score", "nb/a.ipynb"
    )
    assert chart.to_json() == {
        "x": "alpha",
        "y": "score",
        "title": "score by alpha (nb/a.ipynb)",
        "series": [
            {
                "label": "epochs=1",
                "points": [[0.1, 2.0], [0.2, 3.0]],
            },  # sorted along x; the failed run left out
            {"label": "epochs=2", "points": [[0.1, 5.0]]},
        ],
    }
    with pytest.raises(InvalidInput, match=re.escape("'auc' is not a metric of nb/a.ipynb")):
        chart_data(tmp_path / "dsl.sqlite", RunQuery(notebook="nb/a.ipynb"), "alpha", "auc", "nb/a.ipynb")


def test_a_background_batch_is_in_the_store_when_start_returns(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "batch_hold.ipynb")
    project = find_project(root)
    plan = plan_batch(project, root / "nb/batch_hold.ipynb", None, spec=editor_grid({"n": "0, 1"}))
    job = RunService().start_batch(plan, BatchOptions(workers=2))
    state = batch_state(project, plan.batch_id)  # no NotFound: recorded before start_batch returned
    assert state.total == 2 and state.notebook == "nb/batch_hold.ipynb"
    wait_for(lambda: job.state != "running", "the batch to finish")
    assert job.state == "done" and job.result.state.status == "finished"
    done = batch_state(project, plan.batch_id)
    assert sorted(r.metrics["square"] for r in done.runs) == [0.0, 1.0]
    assert [r.state for r in done.runs] == ["succeeded", "succeeded"]
