"""Trackers by capability: every tracker has issues (with comments and labels); pull requests and web
links are forge capabilities, checked by what a tracker can do and never by its kind. A tracker without
pull requests is refused before anything is pushed or written."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.errors import InvalidInput
from jupyter_dsl.issues import pulls
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.notebook import links
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.trackers import (
    LocalTracker,
    PullRequests,
    Tracker,
    WebLinks,
    pull_requests_of,
    require_pull_requests,
    web_links_of,
)
from jupyter_dsl.trackers.github import GitHubTracker
from tests.forges.github_server import GitHubServer
from tests.forges.github_spec import checked_server
from tests.forges.gitlab_server import GitLabServer
from tests.forges.gitlab_support import tracker_for as gitlab_tracker_for

GITHUB_TOKEN = "ghp_PLANTEDcapabilityTOKEN0123456789abcdXY"
BRANCH = "explore/2-churn-by-region"
Git = Callable[..., str]  # the conftest's run_git


class PlainTracker(LocalTracker):
    """Issues, comments and labels only, under a kind of its own (as a third party's tracker may be)."""

    kind = "plain-for-tests"


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with checked_server("octo/demo", token=GITHUB_TOKEN, enterprise=True) as running:
        yield running


@pytest.fixture
def gitlab() -> Iterator[GitLabServer]:
    with GitLabServer() as server:
        yield server


def github_tracker(server: GitHubServer, cache: Path) -> GitHubTracker:
    return GitHubTracker("octo/demo", token=GITHUB_TOKEN, api_url=server.base_url, cache_dir=cache, timeout=5)


def test_the_local_tracker_has_issues_and_no_forge_capability(tracker: LocalTracker) -> None:
    assert isinstance(tracker, Tracker)
    assert not isinstance(tracker, PullRequests) and pull_requests_of(tracker) is None
    assert not isinstance(tracker, WebLinks) and web_links_of(tracker) is None
    for name in ("pull_request", "open_pull_request", "close_pull_request", "url_of", "raw_url"):
        assert not hasattr(tracker, name), name  # no refusal posing as a method: it has none


def test_the_refusal_names_the_tracker_and_keeps_its_wording(tracker: LocalTracker) -> None:
    with pytest.raises(InvalidInput) as err:
        require_pull_requests(tracker)
    assert err.value.message == "the local tracker has no pull requests; use a forge"
    assert (
        err.value.hint
        == 'Set [tracker] kind = "github" or "gitlab" in dsl.toml, or merge the branch with git.'
    )
    assert err.value.exit_code == 2
    with pytest.raises(InvalidInput, match="the plain-for-tests tracker has no pull requests; use a forge"):
        require_pull_requests(PlainTracker(tracker.database))


def test_the_forges_have_pull_requests_and_web_links_and_name_their_requests(
    github: GitHubServer, gitlab: GitLabServer, tmp_path: Path
) -> None:
    hub = github_tracker(github, tmp_path / "github")
    lab = gitlab_tracker_for(gitlab, tmp_path / "gitlab")
    for forge in (hub, lab):
        assert isinstance(forge, Tracker)
        assert pull_requests_of(forge) is forge and require_pull_requests(forge) is forge
        assert web_links_of(forge) is forge
    # GitHub numbers pull requests with the issues; on GitLab "#7" would be issue 7
    assert (hub.pull_reference(7), lab.pull_reference(7)) == ("#7", "!7")
    assert hub.raw_url("docs/a b.png", "main") == f"{github.web_url}/octo/demo/raw/main/docs/a%20b.png"


def _linked_on_branch(project: Project, tracker: LocalTracker, git: Git) -> tuple[Path, Path, str]:
    """An Explore (#2 of Ask #1) linked to a committed notebook, git on its branch, a bare ``origin``."""
    root = project.root
    notebook = root / "nb" / "churn.ipynb"
    notebook.parent.mkdir()
    notebook.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    new_issue(tracker, IssueType.ASK, "Why churn?")
    new_issue(tracker, IssueType.EXPLORE, "Churn by region", ask=1)
    links.link(tracker, notebook, 2)
    origin = root.parent / "origin.git"
    git(root.parent, "init", "--quiet", "--bare", str(origin))
    git(root, "remote", "add", "origin", str(origin))
    git(root, "checkout", "--quiet", "-b", BRANCH)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "link the notebook")
    return notebook, origin, tracker.get(2).body


@pytest.mark.parametrize("kind", ["local", "plain-for-tests"])
def test_a_tracker_without_pull_requests_is_refused_before_anything_is_pushed(
    project_dir: Path, git: Git, kind: str
) -> None:
    project = find_project(project_dir)
    local = LocalTracker(project.database_path)
    try:
        notebook, origin, body = _linked_on_branch(project, local, git)
        tracker = local if kind == "local" else PlainTracker(project.database_path)
        with pytest.raises(InvalidInput) as err:
            pulls.open_pull(project, tracker, notebook)
        assert err.value.message == f"the {kind} tracker has no pull requests; use a forge"
        branches = git(origin, "for-each-ref", "--format=%(refname)", "refs/heads")
        assert branches == ""  # nothing was pushed
        assert local.get(2).body == body  # no Related PR line was written
        if isinstance(tracker, PlainTracker):
            tracker.close_connection()
    finally:
        local.close_connection()


def test_the_pull_answer_carries_the_forges_reference(
    gitlab: GitLabServer, project_dir: Path, git: Git, tmp_path: Path
) -> None:
    """The Related PR line and the answer's ``reference`` come from the tracker: ``!N`` on GitLab."""
    project = find_project(project_dir)
    local = LocalTracker(project.database_path)
    try:
        notebook, origin, _ = _linked_on_branch(project, local, git)
    finally:
        local.close_connection()
    gitlab.project.add_issue("Why churn?", "", ["Ask"])
    gitlab.project.add_issue("Churn by region", "***Prompted by:*** #1\n", ["Explore"])
    forge = gitlab_tracker_for(gitlab, tmp_path / "cache")
    result = pulls.open_pull(project, forge, notebook)
    number = result.pull.number
    assert result.to_json()["pull"]["reference"] == f"!{number}"
    assert f"***Related PR:*** !{number}" in forge.get(2).body
    assert git(origin, "rev-parse", BRANCH) == git(project_dir, "rev-parse", "HEAD")
