"""/jupyter-dsl/sync on a real server over real git clones and a bare remote: GET says whether the
project's issues can sync and when they last did, POST syncs them as `jupyter dsl sync` does."""

from __future__ import annotations

from pathlib import Path

import pytest
from server_support import GIT_ENV, Api, api, git, local_tracker, make_project, server_config
from traitlets.config import Config

from jupyter_dsl.issues.sync import sync_project
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import find_project

__all__ = ["api"]  # the fixture, imported for pytest


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def project(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed project (the server's root), its issue #1 "Local question"; no remote yet."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    make_project(jp_root_dir)
    tracker = local_tracker(jp_root_dir)
    try:
        tracker.create("Local question", "", ["Ask"])
    finally:
        tracker.close_connection()
    return jp_root_dir


def bare_remote(project: Path, tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(project, "remote", "add", "origin", str(remote))
    git(project, "push", "--quiet", "origin", "HEAD")
    return remote


def test_get_says_why_a_project_without_remote_cannot_sync(api: Api, project: Path) -> None:
    status = api.get("sync")
    assert status["possible"] is False and status["remote"] is None and status["last_sync"] is None
    assert "no git remote" in status["reason"]


def test_post_without_remote_is_the_cores_error(api: Api, project: Path) -> None:
    reply = api.call("POST", "sync", {})
    assert reply.code == 400
    assert "no git remote" in reply.error["message"]
    assert reply.error["hint"] == "Add one first: git remote add origin URL"


def test_sync_sends_and_receives_issues_and_remembers_when(api: Api, project: Path, tmp_path: Path) -> None:
    remote = bare_remote(project, tmp_path)
    assert api.get("sync") == {"possible": True, "remote": "origin", "last_sync": None, "reason": None}

    first = api.call("POST", "sync", {"path": ""})
    assert first.code == 200, first.body
    assert first.json["went_out"] == [{"number": 1, "title": "Local question", "how": ""}]
    assert first.json["came_in"] == [] and first.json["remote"] == "origin"
    assert first.json["last_sync"] and api.get("sync")["last_sync"] == first.json["last_sync"]

    clone = tmp_path / "clone"  # a teammate: a fresh clone that syncs, then files an issue
    git(tmp_path, "clone", "--quiet", str(remote), str(clone))
    sync_project(find_project(clone))
    theirs = local_tracker(clone)
    try:
        theirs.create("Their question", "", ["Ask"])
    finally:
        theirs.close_connection()
    sync_project(find_project(clone))

    second = api.call("POST", "sync", {"remote": "origin"})
    assert second.code == 200, second.body
    assert second.json["came_in"] == [{"number": 2, "title": "Their question", "how": "new"}]
    titles = {issue["title"] for issue in api.get("issues", state="all")["issues"]}
    assert titles == {"Local question", "Their question"}


def test_a_refused_push_is_a_conflict_and_nothing_goes_out(api: Api, project: Path, tmp_path: Path) -> None:
    remote = bare_remote(project, tmp_path)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'issues are frozen here' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    reply = api.call("POST", "sync", {})
    assert reply.code == 409
    assert "origin refused the push" in reply.error["message"]
    assert reply.error["hint"] == "Fix what git says, then sync again."
    assert git(remote, "for-each-ref", "refs/dsl/") == ""


def test_git_failing_never_shows_the_remotes_credentials(api: Api, project: Path) -> None:
    git(project, "remote", "add", "origin", "http://someone:s3cr3t-token@127.0.0.1:9/nowhere.git")
    reply = api.call("POST", "sync", {})
    assert reply.code == 409, reply.body
    assert "s3cr3t-token" not in reply.body.decode() and reply.error["message"]


def test_a_project_outside_git_cannot_sync(api: Api, jp_root_dir: Path) -> None:
    init_project(jp_root_dir, git=False)
    status = api.get("sync")
    assert status["possible"] is False and "sync needs git" in status["reason"]
    reply = api.call("POST", "sync", {})
    assert reply.code == 409 and "sync needs git" in reply.error["message"]


def test_bad_input_and_no_auth_are_refused(api: Api, project: Path) -> None:
    assert api.call("POST", "sync", {"remote": 3}).code == 400
    assert api.call("POST", "sync", {"remote": "upstream"}).code == 400
    assert api.call("GET", "sync", auth=False).code == 403
    assert api.call("POST", "sync", {}, auth=False).code == 403
