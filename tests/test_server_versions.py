"""/jupyter-dsl/versions on a real server over a real git repository and data store: a Data issue's
dataset versions with the runs that read them, the model versions of its runs, a run's models."""

from __future__ import annotations

from pathlib import Path

import pytest
from server_support import GIT_ENV, Api, api, git, local_tracker, server_config
from traitlets.config import Config

from jupyter_dsl.data.add import add
from jupyter_dsl.data.cache import open_store
from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.models.registry import ModelRegistry, ModelVersion
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs import RunRecord, RunStore
from jupyter_dsl.runs.records import IssueInfo

__all__ = ["api"]  # the fixture, imported for pytest

RUN = "20260101-000000-a1b2c3"
OTHER_RUN = "20260101-000100-d4e5f6"


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def project(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data issue #1 with a version of data/customers; run RUN read it and saved churn-model 1.0.0."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    root = jp_root_dir
    init_project(root)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    folder = root / "data" / "customers"
    folder.mkdir(parents=True)
    (folder / "north.csv").write_text("id,churned\n1,0\n", encoding="utf-8")
    (folder / "south.csv").write_text("id,churned\n2,1\n", encoding="utf-8")
    tracker = local_tracker(root)
    try:
        data_issue = new_issue(tracker, IssueType.DATA, "Customers <b>2026</b>")
        assert data_issue.number == 1
        project = find_project(root)
        added = add(project, folder, issue=1, tracker=tracker)
    finally:
        tracker.close_connection()
    records = []
    for run_id, inputs in (
        (RUN, {"customers": {"version": added.version, "md5": added.md5}}),
        (OTHER_RUN, {}),
    ):
        record = RunRecord(run_id, "train.ipynb", "0" * 64, {"c": 1.0}, "python3", status="succeeded")
        record.inputs = inputs
        record.issue = IssueInfo("local", 1, "Data", "Customers")
        record.metrics = {"score": 0.9}
        records.append(record)
    with RunStore(project.database_path) as store:
        store.insert_many(records)
    ModelRegistry(open_store(project)).add(
        ModelVersion("churn-model", "1.0.0", "ab" * 16, 12, "m.skops", "skops", RUN)
    )
    return root


def test_a_data_issue_lists_its_versions_with_the_runs_that_read_them(api: Api, project: Path) -> None:
    reply = api.get("issues/1/versions")
    [version] = reply["datasets"]
    assert version["name"] == "customers" and version["issue"] == 1 and version["nfiles"] == 2
    assert version["size"] == len("id,churned\n1,0\n") * 2 and version["current"] is True
    assert [run["id"] for run in version["runs"]] == [RUN]
    [model] = reply["models"]
    assert model["name"] == "churn-model" and model["run"]["id"] == RUN
    assert model["run"]["metrics"] == {"score": 0.9}


def test_another_issue_lists_nothing_and_a_run_lists_its_models(api: Api, project: Path) -> None:
    assert api.get("issues/2/versions") == {"datasets": [], "models": []}
    run = api.get(f"runs/{RUN[-6:]}/models")
    assert [m["version"] for m in run["models"]] == ["1.0.0"] and run["datasets"] == []
    assert api.get(f"runs/{OTHER_RUN}/models") == {"datasets": [], "models": []}


def test_bad_queries_and_no_auth_are_refused(api: Api, project: Path) -> None:
    assert api.call("GET", "issues/x/versions").code == 400
    missing = api.call("GET", "runs/nosuchrun/models")
    assert missing.code == 404 and "nosuchrun" in missing.error["message"]
    assert api.call("GET", "issues/1/versions", auth=False).code == 403
    assert api.call("GET", f"runs/{RUN}/models", auth=False).code == 403
