"""The batch routes and the Runs section's routes on a real server, with real batches (real kernels):
preview a grid, start a batch and poll it to the end, cancel a held batch, list a notebook's batches,
rerun a run, the runs stamp, a chart; unknown batches and paths outside the root."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from batch_support import rows
from runs_support import make_project
from server_support import Api, api, server_config
from traitlets.config import Config

from jupyter_dsl.batch.state import BatchStore
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs.store import RunStore

__all__ = ["api"]  # the fixture, imported for pytest

HOLD = "nb/batch_hold.ipynb"  # records square = n * n; runs with n >= 2 wait while the file `hold` exists
PARAMS = "nb/parameterized.ipynb"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(
        tmp_path_factory.mktemp("batches") / "root", "batch_hold.ipynb", "parameterized.ipynb"
    )


@pytest.fixture
def jp_root_dir(root: Path) -> Path:
    return root


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


def poll(api: Api, batch_id: str, done: Any, what: str, limit: float = 180.0) -> dict[str, Any]:
    """GET the batch until ``done(state)``; the generous limit is about progress, not speed."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        state: dict[str, Any] = api.get(f"batches/{batch_id}")
        if done(state):
            return state
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}: {state}")


def test_preview_lists_the_sets_or_every_problem_naming_its_entry(api: Api, root: Path) -> None:
    good = api.call(
        "POST", "batches/preview", {"path": HOLD, "grid": {"n": "0, 1, 2"}, "parameters": {"hold": "x"}}
    )
    assert good.code == 200, good.body
    assert good.json["count"] == 3 and good.json["errors"] == [] and good.json["varying"] == ["n"]
    assert [s["parameters"] for s in good.json["sets"]] == [{"n": n, "hold": "x"} for n in (0, 1, 2)]
    bad = api.call("POST", "batches/preview", {"path": PARAMS, "grid": {"alpha": "0.1, x", "nope": [1]}})
    assert bad.code == 200, bad.body
    assert bad.json["count"] == 0 and bad.json["sets"] == []
    assert bad.json["errors"] == [
        "sidebar grid: grid.alpha[1]: expected float, got str 'x'",
        "sidebar grid: grid.nope: unknown parameter 'nope'",
    ]
    assert "alpha" in bad.json["hint"]
    # a malformed request is a 400 naming the field; nothing is recorded by a preview
    assert (
        api.call("POST", "batches/preview", {"path": HOLD, "grid": ["n"]})
        .error["message"]
        .startswith("field 'grid'")
    )
    assert api.call("POST", "batches/preview", {"path": HOLD, "grid": {}, "what": 1}).code == 400
    assert rows(root, "SELECT id FROM batches") == []  # runs first in this module: no batch yet


def test_workers_outside_1_to_64_are_refused_naming_the_value(api: Api, root: Path) -> None:
    for workers in (-3, 65, 1.5, "2"):
        body = {"path": HOLD, "grid": {"n": [0]}, "workers": workers}
        for route in ("batches/preview", "batches"):
            reply = api.call("POST", route, body)
            assert reply.code == 400, (route, workers, reply.body)
            message = reply.error["message"]
            assert message.startswith("field 'workers' must be a whole number from 1 to 64"), message
            assert message.endswith(f"not {json.dumps(workers)}"), message
    assert rows(root, "SELECT id FROM batches") == []  # nothing was started


def test_a_grid_files_matrix_and_fixed_values_travel_with_the_editor_grid(api: Api) -> None:
    body = {"path": HOLD, "grid": {"n": "0, 1"}, "parameters": {"hold": "x"}, "matrix": [{"hold": "y"}, {}]}
    reply = api.call("POST", "batches/preview", body)
    assert reply.code == 200, reply.body
    assert reply.json["errors"] == ["sidebar grid: matrix[1]: is empty"]
    body["matrix"] = [{"hold": "y"}, {"hold": "z"}]
    sets = api.call("POST", "batches/preview", body).json["sets"]
    assert [s["parameters"] for s in sets] == [
        {"n": 0, "hold": "y"}, {"n": 1, "hold": "y"}, {"n": 0, "hold": "z"}, {"n": 1, "hold": "z"},
    ]  # fmt: skip
    assert (
        api.call("POST", "batches/preview", {**body, "matrix": {"hold": "y"}})
        .error["message"]
        .startswith("field 'matrix'")
    )


def test_a_batch_of_four_runs_to_the_end_and_its_runs_appear(api: Api, root: Path) -> None:
    before = api.get("run-stamp", path=HOLD)["stamp"]
    started = api.call("POST", "batches", {"path": HOLD, "grid": {"n": [0, 1, 2, 3]}, "workers": 2})
    assert started.code == 202, started.body
    batch_id = started.json["id"]
    assert started.json["total"] == 4 and started.json["notebook"] == HOLD
    state = poll(api, batch_id, lambda s: s["status"] != "running", "the batch to finish")
    assert state["status"] == "finished"
    assert [r["state"] for r in state["runs"]] == ["succeeded"] * 4
    assert [r["metrics"]["square"] for r in state["runs"]] == [0.0, 1.0, 4.0, 9.0]
    assert all(r["run_id"] and r["duration_s"] is not None for r in state["runs"])
    assert batch_id in [b["id"] for b in api.get("batches", path=HOLD)["batches"]]
    assert api.get("batches", path=PARAMS)["batches"] == []  # another notebook's
    assert api.get("run-stamp", path=HOLD)["stamp"] != before  # what the sidebar polls
    listed = api.get("runs", path=HOLD, limit=0)
    assert sorted(r["id"] for r in listed["runs"]) == sorted(r["run_id"] for r in state["runs"])
    of_batch = api.get("runs", path=HOLD, limit=0, batch=batch_id[-6:], where="square>=1")
    assert sorted(r["parameters"]["n"] for r in of_batch["runs"]) == [1, 2, 3]
    assert all(r["batch_id"] == batch_id for r in of_batch["runs"])
    chart = api.get("chart", path=HOLD, x="n", y="square", batch=batch_id)
    assert chart["series"] == [{"label": "", "points": [[0, 0.0], [1, 1.0], [2, 4.0], [3, 9.0]]}]
    png = api.call("GET", "chart", params={"path": HOLD, "x": "n", "y": "square", "format": "png"})
    assert png.code == 200 and png.headers["Content-Type"] == "image/png"
    assert png.body[:8] == b"\x89PNG\r\n\x1a\n"
    assert api.call("GET", "chart", params={"path": HOLD, "x": "n", "y": "nope"}).code == 400


def test_cancel_a_running_batch(api: Api, root: Path, tmp_path: Path) -> None:
    hold = tmp_path / "hold"
    hold.write_text("wait")
    grid = {"n": [2, 3, 4, 5]}
    started = api.call(
        "POST", "batches", {"path": HOLD, "grid": grid, "parameters": {"hold": str(hold)}, "workers": 1}
    )
    assert started.code == 202, started.body
    batch_id = started.json["id"]
    try:
        poll(api, batch_id, lambda s: any(r["state"] == "running" for r in s["runs"]), "a run to start")
        cancelled = api.call("POST", f"batches/{batch_id}/cancel")
        assert cancelled.code == 200 and cancelled.json["cancel_requested"] is True
        state = poll(api, batch_id, lambda s: s["status"] != "running", "the batch to stop")
    finally:
        hold.unlink()
    assert state["status"] == "cancelled"
    states = [r["state"] for r in state["runs"]]
    assert states[0] == "interrupted" and states[1:] == ["queued"] * 3  # one worker: the rest never started
    assert state["runs"][0]["run_id"] is not None and state["runs"][1]["run_id"] is None


def test_rerun_records_a_new_run_with_the_same_parameters(api: Api) -> None:
    started = api.call("POST", "batches", {"path": HOLD, "grid": {"n": [1]}, "workers": 1})
    state = poll(api, started.json["id"], lambda s: s["status"] != "running", "the batch to finish")
    original = state["runs"][0]["run_id"]
    started_rerun = api.call("POST", f"runs/{original}/rerun")
    assert started_rerun.code == 202, started_rerun.body  # a job, followed like a run's
    job_id = started_rerun.json["job"]["id"]
    deadline = time.monotonic() + 120  # only bounds a broken run

    def job() -> dict[str, Any]:
        return next(j for j in api.get("jobs")["jobs"] if j["id"] == job_id)

    while job()["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
    reply = job()["rerun"]
    assert reply["original"] == original and reply["run"]["id"] != original
    assert reply["run"]["parameters"] == {"n": 1}
    assert reply["run"]["error"] is None, reply["run"]["error"]
    assert reply["run"]["status"] == "succeeded" and reply["run"]["metrics"] == {"square": 1.0}
    assert api.call("POST", "runs/no-such-run/rerun").code == 404


def test_unknown_batches_and_paths_outside_the_root(api: Api) -> None:
    assert (
        api.call("GET", "batches/20990101-000000-abcdef").error["message"]
        == "no batch '20990101-000000-abcdef'"
    )
    assert api.call("POST", "batches/20990101-000000-abcdef/cancel").code == 404
    for body in (
        {"path": "../outside.ipynb", "grid": {"n": [1]}},
        {"path": "/etc/passwd", "grid": {"n": [1]}},
    ):
        assert api.call("POST", "batches/preview", body).code == 403
        assert api.call("POST", "batches", body).code == 403
    assert api.call("GET", "batches", params={"path": "../x.ipynb"}).code == 403
    assert api.call("GET", "run-stamp", params={"path": "../x.ipynb"}).code == 403
    assert api.call("GET", "chart", params={"path": "/etc/passwd", "x": "a", "y": "b"}).code == 403
    assert api.call("GET", "batches").code == 400  # a notebook is needed


def test_a_batch_is_named_by_any_unique_part_of_its_id(api: Api, root: Path) -> None:
    first, second = "20980101-000000-c0ffee", "20980101-000001-beefed"
    with RunStore(find_project(root).database_path) as store:  # two batches, recorded as a driver does
        for batch_id in (first, second):
            BatchStore(store).create(
                batch_id,
                notebook="nb/elsewhere.ipynb",
                notebook_hash="h",
                kernel="python3",
                grid={},
                options={},
                sets=[],
                token="t",
            )
            BatchStore(store).finish(batch_id, "t", "finished")
    assert api.get("batches/c0ffee")["id"] == first
    cancelled = api.call("POST", "batches/beefed/cancel")
    assert cancelled.code == 200 and cancelled.json["id"] == second
    ambiguous = api.call("GET", "batches/20980101")
    assert ambiguous.code == 400
    assert ambiguous.error["message"] == f"'20980101' matches several batches (2): {first}, {second}"
    unknown = api.call("GET", "chart", params={"path": PARAMS, "x": "alpha", "y": "score", "batch": "nope"})
    assert unknown.code == 404  # not "has no succeeded runs to plot"
    assert unknown.error["message"] == "no batch 'nope'"
