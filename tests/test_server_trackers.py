"""One tracker per project for the server's life: requests share it (a GitHub project asks the GitHub CLI
for its token once, not once per request), a changed dsl.toml opens a new one and closes the old, and the
server's shutdown closes the forge's HTTP client."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_support import Api, api, make_project, server_config
from traitlets.config import Config

from jupyter_dsl.project.settings import find_project
from jupyter_dsl.server.trackers import SETTING, ProjectTrackers
from jupyter_dsl.trackers.github import GitHubTracker
from tests.forges.github_cli import fake_gh
from tests.forges.github_server import GitHubServer
from tests.forges.github_spec import checked_server

__all__ = ["api"]  # the fixture, imported for pytest

TOKEN = "ghp_SHAREDtrackerTOKEN0123456789abcdefXYZ"
GUARD_S = 120  # only bounds a broken run; nothing here measures time


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The log of a stand-in GitHub CLI on PATH: one line per `gh auth token` (no token in the env)."""
    log = tmp_path / "gh-asked"
    fake_gh(tmp_path / "bin", f'echo "$@" >> "{log}"; echo {TOKEN}')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    return log


@pytest.fixture
def github(jp_root_dir: Path) -> Iterator[GitHubServer]:
    """The server's root is a project on the GitHub test server (the token only from `gh`)."""
    with checked_server("octo/demo", token=TOKEN) as server:
        server.seed_issue("Why churn?", labels=["Ask"])
        make_project(jp_root_dir)
        set_tracker(jp_root_dir, server, timeout=5)
        yield server


def set_tracker(root: Path, server: GitHubServer, *, timeout: int) -> None:
    tracker = f'kind = "github"\nrepo = "octo/demo"\napi_url = "{server.base_url}"\ntimeout = {timeout}\n'
    (root / "dsl.toml").write_text(f"[tracker]\n{tracker}", encoding="utf-8")


def times_asked(log: Path) -> int:
    return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


def trackers(serverapp: Any) -> ProjectTrackers:
    registry = serverapp.web_app.settings[SETTING]
    assert isinstance(registry, ProjectTrackers)
    return registry


def the_tracker(serverapp: Any, root: Path) -> GitHubTracker:
    with trackers(serverapp).lease(find_project(root)) as tracker:
        assert isinstance(tracker, GitHubTracker)
        return tracker


def issue_titles(api: Api) -> list[str]:
    return [issue["title"] for issue in api.get("issues")["issues"]]


def test_requests_on_one_project_share_its_tracker(
    api: Api, jp_serverapp: Any, github: GitHubServer, asked: Path, jp_root_dir: Path
) -> None:
    assert issue_titles(api) == ["Why churn?"]
    assert issue_titles(api) == ["Why churn?"]
    assert api.get("issues/1")["issue"]["title"] == "Why churn?"
    assert times_asked(asked) == 1
    assert not the_tracker(jp_serverapp, jp_root_dir).http.closed
    assert times_asked(asked) == 1  # the registry's tracker is the one the requests used


def test_concurrent_first_requests_open_one_tracker(api: Api, github: GitHubServer, asked: Path) -> None:
    async def together() -> list[Any]:
        fetches = [
            api.client.fetch(api.url("issues"), headers=api.auth_header, raise_error=False) for _ in range(4)
        ]
        return list(await asyncio.gather(*fetches))

    replies = api.loop.run_until_complete(asyncio.wait_for(together(), GUARD_S))
    assert [reply.code for reply in replies] == [200] * 4
    assert times_asked(asked) == 1


def test_a_changed_dsl_toml_opens_a_new_tracker_and_closes_the_old(
    api: Api, jp_serverapp: Any, github: GitHubServer, asked: Path, jp_root_dir: Path
) -> None:
    assert issue_titles(api) == ["Why churn?"]
    old = the_tracker(jp_serverapp, jp_root_dir)
    config = jp_root_dir / "dsl.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[findings]\ndir = 'docs'\n", encoding="utf-8")
    assert issue_titles(api) == ["Why churn?"]
    assert the_tracker(jp_serverapp, jp_root_dir) is old  # other settings keep the tracker
    set_tracker(jp_root_dir, github, timeout=7)
    assert issue_titles(api) == ["Why churn?"]
    new = the_tracker(jp_serverapp, jp_root_dir)
    assert new is not old
    assert old.http.closed and not new.http.closed
    assert times_asked(asked) == 2


def test_the_servers_shutdown_closes_the_forge_client(
    api: Api, jp_serverapp: Any, github: GitHubServer, asked: Path, jp_root_dir: Path
) -> None:
    assert issue_titles(api) == ["Why churn?"]
    tracker = the_tracker(jp_serverapp, jp_root_dir)
    assert not tracker.http.closed
    api.loop.run_until_complete(jp_serverapp.cleanup_extensions())  # what the server's stop runs
    assert tracker.http.closed


def test_a_local_project_keeps_one_tracker_too(api: Api, jp_serverapp: Any, jp_root_dir: Path) -> None:
    make_project(jp_root_dir)
    created = api.call("POST", "issues", {"path": "", "type": "Ask", "title": "Why churn?"})
    assert created.code == 201, created.body
    assert [issue["number"] for issue in api.get("issues")["issues"]] == [1]
    registry = trackers(jp_serverapp)
    project = find_project(jp_root_dir)
    with registry.lease(project) as first, registry.lease(project) as second:
        assert first is second
        assert first.get(1).title == "Why churn?"
