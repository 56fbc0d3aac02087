"""The routes behind the sidebar's Parameters and Findings sections and its branch switch, on a real
server over a real project: values checked by the core, a real run started in the server's executor,
goals edited on the local tracker, and an Explore issue completed (the notebook file left alone)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from server_support import GIT_ENV, NOTEBOOK, Api, api, git, local_tracker, make_project, server_config
from traitlets.config import Config

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.notebook import links
from jupyter_dsl.notebook.document import get_link

__all__ = ["api"]  # the fixture, imported for pytest

GUARD_S = 120  # only bounds a broken run; nothing here measures time


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def explore(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A committed project whose notebook is linked to Explore #2 (of Ask #1), and a config file."""
    for name, value in GIT_ENV.items():  # git in the server (same process) commits with this identity
        monkeypatch.setenv(name, value)
    notebook = make_project(jp_root_dir)
    tracker = local_tracker(notebook)
    try:
        ask = new_issue(tracker, IssueType.ASK, "Why churn?")
        issue = new_issue(tracker, IssueType.EXPLORE, "Churn by region", ask=ask.number)
        links.link(tracker, notebook, issue.number)
    finally:
        tracker.close_connection()
    (jp_root_dir / "configs").mkdir()
    (jp_root_dir / "configs" / "fast.yaml").write_text("alpha: 0.9\n", encoding="utf-8")
    (jp_root_dir / "configs" / "bad.yml").write_text("alpha: [unclosed\n", encoding="utf-8")
    (jp_root_dir / ".dsl" / "hidden.yaml").write_text("alpha: 1\n", encoding="utf-8")
    git(jp_root_dir, "add", "--all")
    git(jp_root_dir, "commit", "--quiet", "-m", "link")
    return {"notebook": notebook, "ask": ask.number, "issue": issue.number}


def issue_state(notebook: Path, number: int) -> str:
    tracker = local_tracker(notebook)
    try:
        return tracker.get(number).state
    finally:
        tracker.close_connection()


class TestValues:
    def test_typed_values_are_checked_by_the_core_each_beside_its_field(
        self, api: Api, explore: dict[str, Any]
    ) -> None:
        ok = api.get(f"values/{NOTEBOOK}", set="alpha=0.25")
        assert ok["valid"] is True
        assert ok["values"] == {"alpha": 0.25}
        assert ok["sources"] == {"alpha": "the form"}
        bad = api.get(f"values/{NOTEBOOK}", set=["alpha=fast", "beta=1"])
        assert bad["valid"] is False
        assert set(bad["errors"]) == {"alpha", "beta"}
        assert "must be float" in bad["errors"]["alpha"]
        assert "unknown parameter 'beta'" in bad["errors"]["beta"]
        assert "-p" not in bad["message"]

    def test_config_files_are_listed_read_and_their_errors_named(
        self, api: Api, explore: dict[str, Any]
    ) -> None:
        assert api.get("configs", path=NOTEBOOK)["configs"] == ["configs/bad.yml", "configs/fast.yaml"]
        good = api.get(f"values/{NOTEBOOK}", config="configs/fast.yaml")
        assert (good["valid"], good["values"], good["sources"]) == (
            True,
            {"alpha": 0.9},
            {"alpha": "configs/fast.yaml"},
        )
        # a typed value wins over the file
        assert api.get(f"values/{NOTEBOOK}", config="configs/fast.yaml", set="alpha=0.1")["values"] == {
            "alpha": 0.1
        }
        bad = api.get(f"values/{NOTEBOOK}", config=["configs/fast.yaml", "configs/bad.yml"])
        assert bad["valid"] is False
        assert list(bad["config_errors"]) == ["configs/bad.yml"]
        assert "not valid YAML" in bad["config_errors"]["configs/bad.yml"]
        assert api.call("GET", f"values/{NOTEBOOK}", params={"config": "../outside.yaml"}).code == 403
        assert api.call("GET", f"values/{NOTEBOOK}", params={"set": "novalue"}).code == 400

    def test_grid_files_are_offered_apart_from_config_files_and_load_for_the_grid_editor(
        self, api: Api, explore: dict[str, Any], jp_root_dir: Path
    ) -> None:
        configs = jp_root_dir / "configs"
        (configs / "sweep.yaml").write_text(
            "parameters: {alpha: 0.3, gamma: 2}\nmatrix:\n  - {alpha: 0.1}\ngrid: {beta: [1, 'two']}\n",
            encoding="utf-8",
        )
        (configs / "fixed.yml").write_text("parameters: {alpha: 0.2}\n", encoding="utf-8")
        (configs / "typo.yaml").write_text("grid: {alpha: 0.1}\n", encoding="utf-8")
        answer = api.get("configs", path=NOTEBOOK)
        assert answer == {
            "configs": ["configs/bad.yml", "configs/fast.yaml"],
            "grids": ["configs/fixed.yml", "configs/sweep.yaml", "configs/typo.yaml"],
        }
        assert api.get("grids/configs/sweep.yaml") == {
            "path": "configs/sweep.yaml",
            "grid": {"beta": "1, two", "gamma": "2"},
            "parameters": {"alpha": 0.3},
            "matrix": [{"alpha": 0.1}],
        }
        # a grid file the batch command would refuse is refused with the same words
        fixed = api.call("GET", "grids/configs/fixed.yml")
        assert fixed.code == 400
        assert fixed.error["message"] == "fixed.yml: has no `grid:` or `matrix:` entries: nothing to run"
        typo = api.call("GET", "grids/configs/typo.yaml")
        assert typo.code == 400
        assert typo.error["message"] == "typo.yaml: grid.alpha: must be a list of values, not float"
        not_yaml = api.call("GET", "grids/configs/bad.yml")
        assert not_yaml.code == 422
        assert not_yaml.error["message"].startswith("grid file configs/bad.yml is not valid YAML at line 2")
        assert api.call("GET", "grids/configs/missing.yaml").code == 422
        assert api.call("GET", "grids/../outside.yaml").code in (403, 404)


class TestJobs:
    def test_a_run_started_from_the_sidebar_is_recorded_with_the_typed_values(
        self, api: Api, explore: dict[str, Any]
    ) -> None:
        reply = api.call("POST", "jobs", {"path": NOTEBOOK, "set": {"alpha": "0.75"}})
        assert reply.code == 202, reply.body
        job = reply.json["job"]
        assert (job["state"], job["path"], job["parameters"]) == ("running", NOTEBOOK, {"alpha": 0.75})
        deadline = time.monotonic() + GUARD_S
        while job["state"] == "running" and time.monotonic() < deadline:
            time.sleep(0.2)
            [job] = [j for j in api.get("jobs", path=NOTEBOOK)["jobs"] if j["id"] == job["id"]]
        assert job["state"] == "done", job
        assert job["run"]["status"] == "succeeded"
        runs = api.get("runs", path=NOTEBOOK)["runs"]
        assert [(r["id"], r["parameters"]) for r in runs] == [(job["run"]["id"], {"alpha": 0.75})]

    def test_bad_values_start_nothing(self, api: Api, explore: dict[str, Any]) -> None:
        reply = api.call("POST", "jobs", {"path": NOTEBOOK, "set": {"alpha": "fast"}})
        assert reply.code == 400
        assert "must be float" in reply.error["message"]
        assert api.call("POST", "jobs", {"path": NOTEBOOK, "set": {"alpha": 1}}).code == 400
        assert api.get("jobs")["jobs"] == []
        assert api.get("runs", path=NOTEBOOK)["runs"] == []


class TestBranch:
    def test_switches_git_to_the_notebooks_branch_creating_it(
        self, api: Api, explore: dict[str, Any]
    ) -> None:
        root = explore["notebook"].parents[1]
        expected = f"explore/{explore['issue']}-churn-by-region"
        state = api.get(f"branch/{NOTEBOOK}")
        assert (state["current"], state["expected"], state["exists"]) == ("main", expected, False)
        reply = api.call("POST", f"branch/{NOTEBOOK}", {})
        assert reply.code == 200, reply.body
        assert (reply.json["branch"], reply.json["created"], reply.json["previous"]) == (
            expected,
            True,
            "main",
        )
        assert git(root, "branch", "--show-current") == expected
        assert api.get(f"branch/{NOTEBOOK}")["exists"] is True


class TestGoalsAndFindings:
    def test_goals_are_added_and_ticked_on_the_issue(self, api: Api, explore: dict[str, Any]) -> None:
        before = api.get(f"goals/{NOTEBOOK}")
        assert before["issue"] == explore["issue"]
        added = api.call("POST", f"goals/{NOTEBOOK}", {"question": "Which region churns most?"}).json
        new = added["goals"][-1]
        assert (new["text"], new["done"]) == ("Which region churns most?", False)
        ticked = api.call("PUT", f"goals/{NOTEBOOK}", {"number": new["number"], "done": True}).json
        assert ticked["goals"][-1]["done"] is True
        assert api.get(f"goals/{NOTEBOOK}") == ticked
        assert api.call("POST", f"goals/{NOTEBOOK}", {"question": "  "}).code == 400

    def test_preview_then_dry_run_then_completion(self, api: Api, explore: dict[str, Any]) -> None:
        notebook: Path = explore["notebook"]
        original = notebook.read_bytes()
        preview = api.get(f"findings/{NOTEBOOK}", to="md")
        assert (preview["title"], preview["issue"], preview["type"]) == (
            "Churn by region",
            explore["issue"],
            "Explore",
        )
        assert "Churn by region" in preview["text"]
        assert "<html" in api.get(f"findings/{NOTEBOOK}")["text"].lower()

        dry = api.call("POST", f"findings/{NOTEBOOK}", {"dry_run": True}).json
        assert {step["state"] for step in dry["steps"]} == {"would do"}
        assert any(step["description"].startswith("close") for step in dry["steps"])
        assert any("Churn by region" in step["detail"] for step in dry["steps"])
        assert dry["link"] is None
        assert issue_state(notebook, explore["issue"]) == "open"
        assert not (notebook.parents[1] / dry["summary_path"]).exists()

        done = api.call("POST", f"findings/{NOTEBOOK}", {})
        assert done.code == 200, done.body
        answer = done.json
        assert answer["issue"]["state"] == "closed"
        assert issue_state(notebook, explore["issue"]) == "closed"
        assert (notebook.parents[1] / answer["summary_path"]).is_file()
        # the completed status is for the open document: the server left the file as it was
        assert answer["link"]["status"] == "complete" and answer["link"]["completed_at"]
        assert notebook.read_bytes() == original
        saved = get_link(notebook)
        assert saved is not None and saved.status == "active"

    def test_completion_refuses_an_experiment_without_outcome_and_a_bad_outcome(
        self, api: Api, explore: dict[str, Any]
    ) -> None:
        assert api.call("POST", f"findings/{NOTEBOOK}", {"outcome": "maybe"}).code == 400
        reply = api.call("POST", f"findings/{NOTEBOOK}", {"outcome": "succeeded", "dry_run": True})
        assert reply.code == 400
        assert "Experiments" in reply.error["message"]
