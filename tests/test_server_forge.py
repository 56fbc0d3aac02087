"""The sidebar's forge routes on a real server: ``links/{path}/prepare`` (the Ask maintenance of
``jupyter dsl link``, the notebook file untouched) and ``pulls/{path}`` (``jupyter dsl pr``) on the local
tracker and on the GitHub test server, with a bare git repository as ``origin``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from server_support import GIT_ENV, NOTEBOOK, Api, api, git, make_project, server_config
from traitlets.config import Config

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.trackers import Tracker, open_tracker
from tests.forges.github_server import GitHubServer
from tests.forges.github_spec import checked_server

__all__ = ["api"]  # the fixture, imported for pytest

TOKEN = "ghp_FAKEsidebarFORGEtoken0123456789abcdefXY"
BRANCH = "explore/2-churn-by-region"
LINE = "- [ ] #2 Churn by region"  # what `jupyter dsl link` lists in the Ask, written out here


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


def with_tracker(notebook: Path, work: Any) -> Any:
    tracker: Tracker = open_tracker(find_project(notebook))
    try:
        return work(tracker)
    finally:
        close = getattr(tracker, "close_connection", None)
        if callable(close):
            close()


def ask_and_unlisted_explore(notebook: Path) -> None:
    """Ask #1 and Explore #2 naming it, whose line is then taken out of the Ask again: as if the Explore
    had been made by hand on the forge."""

    def work(tracker: Tracker) -> None:
        ask = new_issue(tracker, IssueType.ASK, "Why churn?")
        new_issue(tracker, IssueType.EXPLORE, "Churn by region", ask=ask.number)
        tracker.edit(ask.number, body=ask.body)
        assert LINE not in tracker.get(1).body

    with_tracker(notebook, work)


def ask_body(notebook: Path) -> str:
    return str(with_tracker(notebook, lambda tracker: tracker.get(1).body))


@pytest.fixture
def github(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubServer]:
    """A project on the GitHub test server (the token only in the server's environment), ``origin`` a
    bare repository next to it."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with checked_server("octo/demo", token=TOKEN) as server:
        notebook = make_project(jp_root_dir)
        config = jp_root_dir / "dsl.toml"
        text = config.read_text()
        assert '\nkind = "local"\n' in text
        tracker = f'\nkind = "github"\nrepo = "octo/demo"\napi_url = "{server.base_url}"\ntimeout = 5\n'
        config.write_text(text.replace('\nkind = "local"\n', tracker, 1))
        origin = jp_root_dir.parent / f"{jp_root_dir.name}-origin.git"
        git(jp_root_dir.parent, "init", "--quiet", "--bare", str(origin))
        git(jp_root_dir, "remote", "add", "origin", str(origin))
        git(jp_root_dir, "commit", "--quiet", "-am", "on GitHub")
        ask_and_unlisted_explore(notebook)
        yield server


class TestPrepareLink:
    def test_lists_the_issue_in_its_ask_and_leaves_the_notebook_alone(
        self, api: Api, jp_root_dir: Path
    ) -> None:
        notebook = make_project(jp_root_dir)
        ask_and_unlisted_explore(notebook)
        original = notebook.read_bytes()
        reply = api.call("POST", f"links/{NOTEBOOK}/prepare", {"number": 2})
        assert reply.code == 200, reply.body
        data = reply.json
        assert data["link"]["issue"]["number"] == 2
        assert data["link"]["ask"] == 1
        assert data["link"]["branch"] == BRANCH
        assert data["issue"]["title"] == "Churn by region"
        assert data["offline_as_of"] is None
        assert LINE in ask_body(notebook).splitlines()
        assert notebook.read_bytes() == original
        again = api.call("POST", f"links/{NOTEBOOK}/prepare", {"number": 2})
        assert again.code == 200
        assert ask_body(notebook).splitlines().count(LINE) == 1  # listed once

    def test_a_file_that_is_not_a_notebook_changes_nothing(self, api: Api, jp_root_dir: Path) -> None:
        notebook = make_project(jp_root_dir)
        ask_and_unlisted_explore(notebook)
        (jp_root_dir / "notes.txt").write_text("hello", encoding="utf-8")
        before = ask_body(notebook)
        reply = api.call("POST", "links/notes.txt/prepare", {"number": 2})
        assert reply.code == 400, reply.body
        assert ask_body(notebook) == before
        missing = api.call("POST", f"links/{NOTEBOOK}/prepare", {"number": 99})
        assert missing.code == 404
        assert "99" in missing.error["message"]

    def test_on_github_the_ask_gets_its_line(self, api: Api, github: GitHubServer, jp_root_dir: Path) -> None:
        notebook = jp_root_dir / NOTEBOOK
        original = notebook.read_bytes()
        reply = api.call("POST", f"links/{NOTEBOOK}/prepare", {"number": 2})
        assert reply.code == 200, reply.body
        assert reply.json["link"]["issue"]["url"] == f"{github.web_url}/octo/demo/issues/2"
        assert LINE in github.issue(1)["body"].splitlines()
        assert notebook.read_bytes() == original
        assert TOKEN.encode() not in reply.body

    def test_requests_share_the_projects_one_connection_to_the_forge(
        self, api: Api, github: GitHubServer
    ) -> None:
        """The project's one tracker (kept for the server's life, closed when it stops: see
        test_server_trackers) keeps one connection alive; requests do not each leave one behind."""
        before = len(github.arrivals)
        for _ in range(3):
            reply = api.call("POST", f"links/{NOTEBOOK}/prepare", {"number": 2})
            assert reply.code == 200, reply.body
        assert len(github.arrivals) > before  # it did talk to the forge
        process = psutil.Process()
        connections = getattr(process, "net_connections", process.connections)(kind="tcp")
        to_forge = [c for c in connections if c.raddr and c.raddr.port == github.port]
        assert len([c for c in to_forge if c.status == psutil.CONN_ESTABLISHED]) <= 1


class TestPullRoute:
    def test_the_local_tracker_has_no_pull_requests(
        self, api: Api, jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name, value in GIT_ENV.items():
            monkeypatch.setenv(name, value)
        notebook = make_project(jp_root_dir)
        ask_and_unlisted_explore(notebook)
        api.call("PUT", f"links/{NOTEBOOK}", {"number": 2})
        reply = api.call("POST", f"pulls/{NOTEBOOK}", {})
        assert reply.code == 400, reply.body
        assert reply.error["message"] == "the local tracker has no pull requests; use a forge"

    def test_on_github_the_branch_is_pushed_and_the_pull_request_opened(
        self, api: Api, github: GitHubServer, jp_root_dir: Path
    ) -> None:
        assert api.call("PUT", f"links/{NOTEBOOK}", {"number": 2}).code == 200
        git(jp_root_dir, "checkout", "--quiet", "-b", BRANCH)
        git(jp_root_dir, "commit", "--quiet", "-am", "link the notebook")
        refused = api.call("POST", f"pulls/{NOTEBOOK}", {"draft": "yes"})
        assert refused.code == 400 and "draft" in refused.error["message"]
        github.seed_branch(BRANCH)  # what the push does on GitHub: the test server has no git
        reply = api.call("POST", f"pulls/{NOTEBOOK}", {})
        assert reply.code == 200, reply.body
        data = reply.json
        assert (data["created"], data["branch"], data["remote"], data["issue"]) == (True, BRANCH, "origin", 2)
        number = data["pull"]["number"]
        assert data["pull"]["url"] == f"{github.web_url}/octo/demo/pull/{number}"
        origin = jp_root_dir.parent / f"{jp_root_dir.name}-origin.git"
        assert git(origin, "rev-parse", BRANCH) == git(jp_root_dir, "rev-parse", "HEAD")
        assert github.pull(number)["head"]["ref"] == BRANCH
        assert f"***Related PR:*** #{number}" in github.issue(2)["body"]
        assert TOKEN.encode() not in reply.body
