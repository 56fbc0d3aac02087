"""`[tracker] kind = "github"` in dsl.toml: the registry builds a GitHubTracker with the token from the
environment or the GitHub CLI, caching under .dsl/forge-cache/; the token reaches no file of the project."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from forge_clients import closed_after_test

from jupyter_dsl.errors import TrackerError
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.trackers import IssueQuery, open_tracker
from jupyter_dsl.trackers.github import GitHubTracker, find_token, web_url_of
from tests.forges.github_cli import fake_gh
from tests.forges.github_server import GitHubServer
from tests.forges.github_spec import checked_server

TOKEN = "ghp_PLANTEDprojectTOKEN0123456789abcdefXY"


@pytest.fixture
def server() -> Iterator[GitHubServer]:
    with checked_server("octo/demo", token=TOKEN) as running:
        yield running


def project_at(root: Path, server: GitHubServer) -> Path:
    root.mkdir(exist_ok=True)
    (root / "dsl.toml").write_text(
        f'[tracker]\nkind = "github"\nrepo = "octo/demo"\napi_url = "{server.base_url}"\n'
        "timeout = 5\nrate_limit_wait = 1\n",
        encoding="utf-8",
    )
    return root


def test_the_registry_builds_a_github_tracker_that_keeps_the_token_to_itself(
    server: GitHubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    root = project_at(tmp_path / "project", server)
    tracker = closed_after_test(open_tracker(find_project(root)))
    assert isinstance(tracker, GitHubTracker)
    issue = tracker.create("Churn", "body", ["Ask"])
    tracker.comment(issue.number, "a note")
    assert [i.number for i in tracker.list(IssueQuery())] == [issue.number]
    assert all(e.authorized for e in server.exchanges)
    cached = list((root / ".dsl" / "forge-cache" / "github").glob("*.cache"))
    assert cached, "GET answers are cached under .dsl/forge-cache/github"
    for path in root.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    assert all(TOKEN not in record.getMessage() for record in caplog.records)
    assert TOKEN not in repr(tracker)


def test_the_rate_limit_bound_comes_from_dsl_toml(
    server: GitHubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    server.seed_issue("one")
    server.exhaust_rate_limit(reset_in=30)
    tracker = closed_after_test(open_tracker(find_project(project_at(tmp_path / "p", server))))
    with pytest.raises(TrackerError, match="rate limit reached") as caught:
        tracker.get(1)
    assert "rate_limit_wait (now 1 s)" in (caught.value.hint or "")


def test_token_sources_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    fake_gh(tmp_path / "bin", 'echo "$@" > "$(dirname "$0")/args"; echo gho_fromTheCli')
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_first")
    monkeypatch.setenv("GH_TOKEN", "ghp_second")
    assert find_token() == "ghp_first"
    monkeypatch.delenv("GITHUB_TOKEN")
    assert find_token() == "ghp_second"
    monkeypatch.delenv("GH_TOKEN")
    assert find_token("https://ghe.example.test/api/v3") == "gho_fromTheCli"
    assert (tmp_path / "bin" / "args").read_text().split() == [
        "auth",
        "token",
        "--hostname",
        "ghe.example.test",
    ]
    fake_gh(tmp_path / "bin", "echo 'not logged in' >&2; exit 1")
    assert find_token() is None


def test_enterprise_web_addresses() -> None:
    assert web_url_of("https://api.github.com") == "https://github.com"
    assert web_url_of("https://ghe.example.test/api/v3/") == "https://ghe.example.test"
    tracker = GitHubTracker("octo/demo", token=None, api_url="https://ghe.example.test/api/v3")
    assert tracker.url_of(7) == "https://ghe.example.test/octo/demo/issues/7"
