"""The /jupyter-dsl/ REST API on a real Jupyter server, on a real git project in the server root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from server_support import NOTEBOOK, Api, api, local_tracker, make_project, server_config
from traitlets.config import Config

from jupyter_dsl import __version__
from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.dslp.labels import LABELS
from jupyter_dsl.notebook.links import link_for

__all__ = ["api"]  # the fixture, imported for pytest

GITHUB_SENTINEL = "ghp_sentinel_never_in_a_response_0123456789"


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def notebook(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_SENTINEL)
    return make_project(jp_root_dir)


def numbers(answer: dict[str, list[dict[str, int]]]) -> list[int]:
    return [issue["number"] for issue in answer["issues"]]


def test_version(api: Api, notebook: Path) -> None:
    assert api.get("version") == {"version": __version__}


def test_project_from_root_and_from_a_notebook(api: Api, notebook: Path, jp_root_dir: Path) -> None:
    expected = {
        "root": "",
        "name": jp_root_dir.name,
        "config": "dsl.toml",
        "tracker": {"kind": "local", "repo": ""},
        "offline_as_of": None,  # the local tracker is never offline
        "branch": {"current": "main", "base": "main", "issue": None},
    }
    assert api.get("project") == expected
    assert api.get("project", path=NOTEBOOK) == expected


def test_project_in_a_subfolder_reports_api_paths(api: Api, jp_root_dir: Path, notebook: Path) -> None:
    make_project(jp_root_dir / "sub" / "proj", "nb.ipynb")
    found = api.get("project", path="sub/proj/nb.ipynb")
    assert found["root"] == "sub/proj"
    assert found["config"] == "sub/proj/dsl.toml"
    status = api.get("links/sub/proj/nb.ipynb")
    assert status["path"] == "sub/proj/nb.ipynb"  # the API path, not the project-relative one


def test_templates(api: Api, notebook: Path) -> None:
    catalogue = api.get("templates")
    types = {entry["type"]: entry for entry in catalogue["types"]}
    assert list(types) == [t.value for t in IssueType]
    assert types["Explore"]["links_ask"] is True
    assert types["Ask"]["links_ask"] is False
    assert types["Explore"]["color"] == "f0f29b"
    assert [t["key"] for t in types["Data"]["templates"]] == ["Data.Acquisition", "Data.Create"]
    assert types["Data"]["templates"][0]["title_pattern"] == "Get [name] Dataset"
    assert types["Explore"]["templates"][0]["sections"][:2] == ["Overview", "Goals"]
    assert [label["name"] for label in catalogue["labels"]] == [label.name for label in LABELS]
    assert catalogue["labels"][-1] == {
        "name": "blocked - need access",
        "kind": "status",
        "color": "ed9a53",
        "description": "Waiting for access to data or systems",
    }


def test_create_list_and_show_issues(api: Api, notebook: Path) -> None:
    created = api.call(
        "POST",
        "issues",
        {
            "type": "Ask",
            "title": "Why do customers churn?",
            "sections": {"Desired Outcome": "Fewer leavers."},
        },
    )
    assert created.code == 201
    ask = created.json
    assert ask["issue"]["number"] == 1
    assert ask["issue"]["type"] == "Ask"
    assert "Fewer leavers." in ask["issue"]["body"]
    assert ask["link"]["branch"] == "1-why-do-customers-churn"

    created = api.call(
        "POST", "issues", {"path": NOTEBOOK, "type": "explore", "title": "Churn by region", "ask": 1}
    )
    assert created.code == 201
    explore = created.json
    tracker = local_tracker(notebook)
    try:
        stored = tracker.get(2)
        assert explore["issue"] == stored.to_json()  # exactly the core's wire shape
        assert explore["link"] == link_for(stored).to_json()
        assert explore["issue"]["ask"] == 1
        assert explore["link"]["ask"] == 1
        assert explore["link"]["branch"] == "explore/2-churn-by-region"

        listed = api.get("issues")
        assert numbers(listed) == [2, 1]  # newest first
        assert listed["issues"][0] == stored.to_json()
        assert numbers(api.get("issues", type="Explore")) == [2]
        assert numbers(api.get("issues", state="closed")) == []

        tracker.close(1)
        tracker.add_labels(2, ["on hold"])
        assert numbers(api.get("issues")) == [2]
        assert numbers(api.get("issues", state="closed")) == [1]
        assert numbers(api.get("issues", state="all")) == [2, 1]
        # ?label= repeats; an issue must carry every label given
        assert numbers(api.get("issues", label=["Explore", "on hold"])) == [2]
        assert numbers(api.get("issues", label=["Ask", "on hold"], state="all")) == []
        assert numbers(api.get("issues", label="Ask")) == []  # #1 is closed
        assert numbers(api.get("issues", label="Ask", state="all")) == [1]

        assert api.get("issues/2") == {
            "issue": tracker.get(2).to_json(),
            "ask": tracker.get(1).to_json(),
            "ask_missing": False,
            "link": link_for(tracker.get(2)).to_json(),
            "offline_as_of": None,
        }
        assert api.get("issues/1", path=NOTEBOOK)["ask"] is None
    finally:
        tracker.close_connection()


def test_link_and_unlink_a_notebook(api: Api, notebook: Path, jp_serverapp: object) -> None:
    original = notebook.read_bytes()
    bodies: list[bytes] = []
    for payload in (
        {"type": "Ask", "title": "Why churn?"},
        {"type": "Explore", "title": "Churn by region", "ask": 1},
    ):
        bodies.append(api.call("POST", "issues", payload).body)

    before = api.call("GET", f"links/{NOTEBOOK}")
    bodies.append(before.body)
    assert before.json == {
        "path": NOTEBOOK,
        "link": None,
        "issue": None,
        "ask": None,
        "ask_missing": False,
        "branch": {"current": "main", "expected": None, "matches": False, "title_changed": False},
        "issue_error": None,
        "offline_as_of": None,
    }

    reply = api.call("PUT", f"links/{NOTEBOOK}", {"number": 2})
    bodies.append(reply.body)
    assert reply.code == 200
    linked = reply.json
    assert linked["path"] == NOTEBOOK
    assert linked["link"]["issue"] == {
        "tracker": "local",
        "number": 2,
        "type": "Explore",
        "title": "Churn by region",
        "url": "",
    }
    assert linked["link"]["ask"] == 1
    assert linked["issue"]["number"] == 2
    assert linked["ask"]["number"] == 1
    assert linked["branch"] == {
        "current": "main",
        "expected": "explore/2-churn-by-region",
        "matches": False,
        "title_changed": False,
    }
    after = json.loads(notebook.read_text(encoding="utf-8"))
    assert after["metadata"].pop("jupyter_dsl") == linked["link"]
    assert after == json.loads(original)  # nothing else of the notebook changed

    assert api.get(f"links/{NOTEBOOK}") == linked

    reply = api.call("DELETE", f"links/{NOTEBOOK}")
    bodies.append(reply.body)
    assert reply.code == 200
    assert reply.json["link"] is None
    assert reply.json["issue"] is None
    assert notebook.read_bytes() == original  # unlinking restores the original bytes

    token = jp_serverapp.identity_provider.token  # type: ignore[attr-defined]
    assert token
    for body in bodies:
        assert GITHUB_SENTINEL.encode() not in body
        assert token.encode() not in body


def test_delete_on_an_unlinked_notebook_changes_nothing(api: Api, notebook: Path) -> None:
    before = notebook.read_bytes()
    reply = api.call("DELETE", f"links/{NOTEBOOK}")
    assert reply.code == 200
    assert reply.json["link"] is None
    assert notebook.read_bytes() == before


def test_a_symlink_inside_the_root_is_followed(api: Api, notebook: Path, jp_root_dir: Path) -> None:
    (jp_root_dir / "alias.ipynb").symlink_to(notebook)
    api.call("POST", "issues", {"type": "Ask", "title": "Why churn?"})
    reply = api.call("PUT", "links/alias.ipynb", {"number": 1})
    assert reply.code == 200
    assert reply.json["path"] == "alias.ipynb"
    assert json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["jupyter_dsl"]["issue"]["number"] == 1
    assert (jp_root_dir / "alias.ipynb").is_symlink()  # written through, not replaced


class TestProjectAboveTheServerRoot:
    """Jupyter started in a sub-folder of the project: it still works; the root has no API path."""

    @pytest.fixture
    def jp_root_dir(self, tmp_path: Path) -> Path:
        make_project(tmp_path / "proj", "notebooks/nb.ipynb")
        return tmp_path / "proj" / "notebooks"

    def test_project_and_issues(self, api: Api) -> None:
        project = api.get("project")
        assert project["root"] is None
        assert project["config"] is None
        assert project["name"] == "proj"
        assert api.call("POST", "issues", {"type": "Ask", "title": "Why?"}).code == 201
        assert numbers(api.get("issues")) == [1]
        linked = api.call("PUT", "links/nb.ipynb", {"number": 1}).json
        assert linked["path"] == "nb.ipynb"
        assert linked["link"]["issue"]["number"] == 1


def test_an_issue_whose_ask_is_missing_still_shows(api: Api, notebook: Path) -> None:
    tracker = local_tracker(notebook)
    try:
        explore = tracker.create("Churn by region", "***Prompted by:*** #77\n", ["Explore"])
    finally:
        tracker.close_connection()
    shown = api.get(f"issues/{explore.number}")
    assert (shown["issue"]["ask"], shown["ask"], shown["ask_missing"]) == (77, None, True)
