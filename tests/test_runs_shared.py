"""Runs travel: two clones of one repository share an artifact store (a folder, or S3 through moto's
server), each with its own .dsl/ index. Alice runs; Bob syncs, then lists, shows, charts and reruns
every run and opens its output notebook, through the CLI, the core and the server's routes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import runs_support
from kernel_support import Kernel, plain
from runs_support import dsl, dsl_json, git, make_project
from s3_support import s3_endpoint
from server_support import Api, api, server_config
from traitlets.config import Config

from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs.artifacts import RECORD_NAME
from jupyter_dsl.runs.output_notebook import read_output_notebook
from jupyter_dsl.runs.shared import index_shared_runs
from jupyter_dsl.runs.store import RunStore

__all__ = ["api", "s3_endpoint"]  # the fixture, imported for pytest

NOTEBOOK = "nb/parameterized.ipynb"


def _alices_runs(alice: Path) -> dict[str, Any]:
    """A succeeded run, a failed run and a batch of two, recorded in Alice's clone."""
    (alice / "grid.yaml").write_text("grid:\n  alpha: [0.1, 0.3]\n", encoding="utf-8")
    return {
        "succeeded": dsl_json(alice, "run", NOTEBOOK, "-p", "alpha", "0.2"),
        "failed": dsl_json(alice, "run", "nb/sysexit1.ipynb", code=None),
        "batch": dsl_json(alice, "batch", NOTEBOOK, "--grid", "grid.yaml", "-j", "1"),
    }


@pytest.fixture(scope="module")
def folder_clones(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, dict[str, Any]]:
    base = tmp_path_factory.mktemp("travel")
    shared = base / "shared-store"
    names = ("parameterized.ipynb", "sysexit1.ipynb", "sleeper.ipynb")
    alice = make_project(base / "alice", *names, runs=f'artifacts = "{shared}"')
    git(base, "clone", "--quiet", str(alice), str(base / "bob"))
    return alice, base / "bob", shared, _alices_runs(alice)


def test_every_outcome_writes_its_record_and_the_batch_its_state_to_the_store(
    folder_clones: tuple[Path, Path, Path, dict[str, Any]],
) -> None:
    _, _, shared, ran = folder_clones
    assert ran["failed"]["status"] == "failed"
    ids = [ran["succeeded"]["id"], ran["failed"]["id"], *(r["run_id"] for r in ran["batch"]["runs"])]
    for run_id in ids:
        record = json.loads((shared / run_id / RECORD_NAME).read_text())
        assert record["id"] == run_id and record["finished_at"] and record["environment"]["packages"]
    state = json.loads((shared / "batches" / f"{ran['batch']['id']}.json").read_text())
    assert state["batch"]["status"] == "finished"
    assert sorted(s["run_id"] for s in state["sets"]) == sorted(r["run_id"] for r in ran["batch"]["runs"])


def test_a_run_killed_by_sigterm_leaves_its_record_in_the_store(
    folder_clones: tuple[Path, Path, Path, dict[str, Any]],
) -> None:
    alice, _, shared, _ = folder_clones
    before = set(shared.glob("*/files/sleeping.txt"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_dsl", "run", "nb/sleeper.ipynb", "--json"],
        cwd=alice,
        env=runs_support.ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 240  # a guard against a hang: the run only needs to get there
    while not set(shared.glob("*/files/sleeping.txt")) - before:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 143, stderr
    run_id = json.loads(stdout)["id"]
    record = json.loads((shared / run_id / RECORD_NAME).read_text())
    assert record["status"] == "killed" and record["error"]["ename"] == "Terminated"


def test_a_teammate_lists_shows_charts_and_reruns_every_run(
    folder_clones: tuple[Path, Path, Path, dict[str, Any]],
) -> None:
    _, bob, shared, ran = folder_clones
    assert dsl_json(bob, "runs")["runs"] == []  # Bob's own index starts empty
    batch_runs = [r["run_id"] for r in ran["batch"]["runs"]]
    ids = {ran["succeeded"]["id"], ran["failed"]["id"], *batch_runs}
    synced = dsl_json(bob, "runs", "--sync", "--limit", "0")
    # every run of Alice's (and the one killed above), each as she recorded it
    assert ids <= set(synced["sync"]["runs"]) and synced["sync"]["batches"] == [ran["batch"]["id"]]
    assert {r["id"]: r["status"] for r in synced["runs"]} == {
        run_id: json.loads((shared / run_id / RECORD_NAME).read_text())["status"]
        for run_id in synced["sync"]["runs"]
    }
    assert dsl_json(bob, "runs", "--sync")["sync"]["runs"] == []  # nothing new the second time
    shown = dsl_json(bob, "runs", "show", ran["succeeded"]["id"][-6:])
    for key in ("parameters", "metrics", "status", "notebook_hash", "git", "environment"):
        assert shown[key] == ran["succeeded"][key]
    assert shown["output_notebook"] == f"file://{shared}/{shown['id']}/parameterized.ipynb"
    assert dsl_json(bob, "runs", "show", ran["failed"]["id"])["error"] == ran["failed"]["error"]
    listed = dsl_json(bob, "runs", "--batch", ran["batch"]["id"])
    assert sorted(r["id"] for r in listed["runs"]) == sorted(batch_runs)
    assert dsl_json(bob, "batches", ran["batch"]["id"])["counts"] == {"succeeded": 2}
    chart = bob / "chart.png"
    dsl(bob, "plot", "--batch", ran["batch"]["id"], "--x", "alpha", "--y", "score", "--out", str(chart))
    assert chart.read_bytes().startswith(b"\x89PNG")
    notebook = read_output_notebook(find_project(bob), _record(bob, ran["succeeded"]["id"]))
    assert any("alpha = 0.2" in "".join(cell["source"]) for cell in notebook.cells)
    again = dsl_json(bob, "rerun", ran["succeeded"]["id"])
    assert again["original"] == ran["succeeded"]["id"] and again["run"]["status"] == "succeeded"
    assert again["run"]["parameters"] == ran["succeeded"]["parameters"]


def test_the_magic_syncs_too(folder_clones: tuple[Path, Path, Path, dict[str, Any]], tmp_path: Path) -> None:
    alice, _, _, ran = folder_clones
    carol = tmp_path / "carol"
    git(tmp_path, "clone", "--quiet", str(alice), str(carol))
    kernel = Kernel(carol / "nb", str(carol / NOTEBOOK))
    try:
        status, _, text = kernel.run("%load_ext jupyter_dsl")
        assert status == "ok", text
        status, outputs, text = kernel.run("%dsl runs --all --sync --limit 0 --json")
        assert status == "ok", text
    finally:
        kernel.close()
    answer = eval(plain(outputs))  # the repr of the JSON payload
    assert ran["succeeded"]["id"] in answer["sync"]["runs"]
    assert ran["succeeded"]["id"] in {r["id"] for r in answer["runs"]}


def test_jupyter_dsl_sync_brings_the_issues_and_indexes_the_shared_runs(
    folder_clones: tuple[Path, Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    alice, _, _, ran = folder_clones
    dsl(alice, "issue", "new", "Ask", "Why do runs travel?")
    dave = tmp_path / "dave"
    git(tmp_path, "clone", "--quiet", str(alice), str(dave))
    dry = dsl_json(dave, "sync", "--dry-run")
    assert dry["runs"] is None and dsl_json(dave, "runs")["runs"] == []  # a dry run indexes nothing
    synced = dsl_json(dave, "sync")
    assert ran["succeeded"]["id"] in synced["runs"]["runs"] and synced["runs_error"] is None
    assert synced["runs"]["batches"] == [ran["batch"]["id"]]
    assert ran["failed"]["id"] in {r["id"] for r in dsl_json(dave, "runs", "--limit", "0")["runs"]}
    assert "Why do runs travel?" in {i["title"] for i in dsl_json(dave, "issue", "list")["issues"]}
    said = dsl(dave, "sync").stdout
    assert "0 new runs" in said  # the second sync reads nothing new and says so


def _record(root: Path, run_id: str) -> Any:
    with RunStore(find_project(root).database_path) as runs:
        return runs.get(run_id)


# --- S3: a real S3 protocol endpoint (moto's server mode), written through s3fs -----------------


@pytest.mark.s3_bucket("team-runs")
def test_runs_travel_through_s3(tmp_path: Path, s3_endpoint: str) -> None:
    import boto3

    alice = make_project(tmp_path / "alice", "parameterized.ipynb", runs='artifacts = "s3://team-runs/proj"')
    bob = tmp_path / "bob"
    git(tmp_path, "clone", "--quiet", str(alice), str(bob))
    ran = dsl_json(alice, "run", NOTEBOOK, "-p", "alpha", "0.3")
    keys = {
        o["Key"]
        for o in boto3.client("s3", endpoint_url=s3_endpoint).list_objects_v2(Bucket="team-runs")["Contents"]
    }
    assert f"proj/{ran['id']}/{RECORD_NAME}" in keys and f"proj/{ran['id']}/parameterized.ipynb" in keys
    synced = dsl_json(bob, "runs", "--sync")
    assert synced["sync"]["runs"] == [ran["id"]] and [r["id"] for r in synced["runs"]] == [ran["id"]]
    shown = dsl_json(bob, "runs", "show", ran["id"])
    assert shown["metrics"] == ran["metrics"] and shown["output_notebook"] == ran["output_notebook"]
    notebook = read_output_notebook(find_project(bob), _record(bob, ran["id"]))
    assert any("alpha = 0.3" in "".join(cell["source"]) for cell in notebook.cells)
    second = dsl_json(alice, "run", NOTEBOOK, "-p", "alpha", "0.4")
    again = index_shared_runs(find_project(bob))
    assert again.runs == [second["id"]] and again.read == 1  # only the new record was read


# --- the server's runs and output-notebook routes, on Bob's clone --------------------------------


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


def test_the_server_serves_a_teammates_runs_and_output_notebook(
    folder_clones: tuple[Path, Path, Path, dict[str, Any]], jp_root_dir: Path, api: Api
) -> None:
    alice, _, _, ran = folder_clones
    bob = jp_root_dir / "bob"
    git(jp_root_dir, "clone", "--quiet", str(alice), str(bob))
    index_shared_runs(find_project(bob))
    listed = api.get("runs", path=f"bob/{NOTEBOOK}")
    assert ran["succeeded"]["id"] in {r["id"] for r in listed["runs"]}
    shown = api.get(f"runs/{ran['succeeded']['id']}", path="bob")
    assert shown["run"]["metrics"] == ran["succeeded"]["metrics"]
    notebook = api.get(f"runs/{ran['succeeded']['id']}/notebook", path="bob")
    assert any("alpha = 0.2" in "".join(cell["source"]) for cell in notebook["cells"])
