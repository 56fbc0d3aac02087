"""A run the sidebar starts (POST /jobs) of a copied, untracked notebook with an untracked config file, on
a real server over a real git repository: /runs/{id} answers why its commit cannot reproduce it."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from server_support import GIT_ENV, NOTEBOOK, Api, api, git, make_project, server_config
from traitlets.config import Config

__all__ = ["api"]  # the fixture, imported for pytest

GUARD_S = 120  # only bounds a broken run; nothing here measures time
COPY = "notebooks/copy.ipynb"


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def project(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed project; then a copy of its notebook and a config file that git does not track."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    notebook = make_project(jp_root_dir)
    shutil.copy(notebook, jp_root_dir / COPY)
    (jp_root_dir / "configs").mkdir()
    (jp_root_dir / "configs" / "local.yaml").write_text("alpha: 0.3\n", encoding="utf-8")
    return jp_root_dir


def finished_job(api: Api, path: str, job: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + GUARD_S
    while job["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
        [job] = [j for j in api.get("jobs", path=path)["jobs"] if j["id"] == job["id"]]
    assert job["state"] == "done", job
    return job


def test_a_sidebar_run_of_an_untracked_notebook_answers_why(api: Api, project: Path) -> None:
    reply = api.call("POST", "jobs", {"path": COPY, "config": ["configs/local.yaml"]})
    assert reply.code == 202, reply.body
    job = finished_job(api, COPY, reply.json["job"])
    run = api.get(f"runs/{job['run']['id']}")["run"]
    assert run["status"] == "succeeded" and run["parameters"] == {"alpha": 0.3}
    assert run["git"]["dirty"] is False and run["git"]["commit"] == git(project, "rev-parse", "HEAD")
    assert run["unreproducible"] == [
        {"path": COPY, "reason": "untracked"},
        {"path": "configs/local.yaml", "reason": "untracked"},
    ]
    [warning] = [w for w in run["warnings"] if "does not hold what this run ran" in w]
    assert f"{COPY} is untracked, configs/local.yaml is untracked" in warning


def test_a_sidebar_run_of_the_committed_notebook_answers_none(api: Api, project: Path) -> None:
    reply = api.call("POST", "jobs", {"path": NOTEBOOK})
    assert reply.code == 202, reply.body
    job = finished_job(api, NOTEBOOK, reply.json["job"])
    run = api.get(f"runs/{job['run']['id']}")["run"]
    assert run["status"] == "succeeded"
    assert run["unreproducible"] == [] and run["warnings"] == []


def test_a_sidebar_rerun_is_a_job_like_a_run(api: Api, project: Path) -> None:
    first = finished_job(api, NOTEBOOK, api.call("POST", "jobs", {"path": NOTEBOOK}).json["job"])
    reply = api.call("POST", f"runs/{first['run']['id']}/rerun")
    assert reply.code == 202, reply.body  # at once: the request does not wait for the run
    job = reply.json["job"]
    assert job["kind"] == "rerun" and job["state"] == "running" and job["path"] == NOTEBOOK
    done = finished_job(api, NOTEBOOK, job)
    assert done["rerun"]["original"] == first["run"]["id"]
    run = api.get(f"runs/{done['run']['id']}")["run"]
    assert run["status"] == "succeeded" and run["rerun_of"] == first["run"]["id"]
