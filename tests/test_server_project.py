"""``POST /jupyter-dsl/project``: the sidebar makes a folder a DSLP project, as `jupyter dsl init` does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest
from server_support import GIT_ENV, Api, api, server_config
from traitlets.config import Config

__all__ = ["api"]  # the fixture, imported for pytest


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def folder(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a notebook, in no project (no dsl.toml above it, no git repository); git knows
    who commits (the server runs in this process)."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    path = jp_root_dir / "analyses"
    path.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), path / "churn.ipynb")
    return path


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def test_a_folder_becomes_a_project_and_the_notebook_finds_it(api: Api, folder: Path) -> None:
    outside = api.call("GET", "project", params={"path": "analyses/churn.ipynb"})
    assert outside.code == 404 and "not inside a DSLP project" in outside.error["message"]

    made = api.call("POST", "project", {"path": "analyses", "templates": True})
    assert made.code == 200, made.body
    report = made.json["report"]
    assert report["root"] == "analyses"  # an API path: the server's own folders never show
    assert report["git_initialized"] is True and report["changed"] is True
    assert "dsl.toml" in report["created"] and ".github/ISSUE_TEMPLATE/Explore.md" in report["created"]
    assert made.json["project"]["config"] == "analyses/dsl.toml"
    assert (folder / "dsl.toml").is_file()
    committed = git(folder, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(committed) == sorted(report["created"] + [".gitignore"])  # its own files only
    assert "churn.ipynb" in git(folder, "status", "--porcelain")  # the user's notebook: not committed

    found = api.get("project", path="analyses/churn.ipynb")
    assert found["root"] == "analyses" and found["tracker"]["kind"] == "local"

    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if ".git" not in p.parts}
    again = api.call("POST", "project", {"path": "analyses"})
    assert again.code == 200 and again.json["report"]["changed"] is False
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*") if ".git" not in p.parts} == before


def test_without_a_git_identity_the_files_are_written_and_the_reply_says_why_nothing_is_committed(
    api: Api, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in GIT_ENV:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.gitconfig
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("EMAIL", "")
    made = api.call("POST", "project", {"path": "analyses"})
    assert made.code == 200, made.body
    report = made.json["report"]
    assert report["committed"] is None
    assert report["commit_skipped"] == "git does not know who you are (user.name, user.email)"
    assert (folder / "dsl.toml").is_file() and (folder / ".git").is_dir()


@pytest.mark.parametrize(
    ("body", "code", "says"),
    [
        ({"path": "analyses/churn.ipynb"}, 400, "analyses/churn.ipynb is not a folder"),
        ({"path": "analyses/missing"}, 400, "analyses/missing is not a folder"),
        ({"path": "../elsewhere"}, 403, "paths with '..' are refused"),
        ({"path": "/tmp"}, 403, "absolute paths are refused"),
        ({"path": "analyses", "force": True}, 400, "unknown field(s) in the request body: force"),
        ({"path": "analyses", "templates": "yes"}, 400, "field 'templates' must be true or false"),
        ({}, 400, "the request body needs the field 'path'"),
    ],
)
def test_a_bad_request_makes_nothing(
    api: Api, folder: Path, body: dict[str, object], code: int, says: str
) -> None:
    refused = api.call("POST", "project", body)
    assert refused.code == code, refused.body
    assert says in refused.error["message"]
    assert sorted(p.name for p in folder.iterdir()) == ["churn.ipynb"]
    assert not (folder.parent / "dsl.toml").exists() and not (folder.parent / ".git").exists()


def test_the_server_never_lets_git_ask_on_its_terminal(api: Api) -> None:
    from jupyter_dsl.project import gitrepo

    assert api.get("version")  # the extension is loaded
    assert gitrepo.INTERACTIVE is False  # pushes fail at once instead of waiting for a password
