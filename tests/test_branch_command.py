"""`jupyter dsl branch` and `status` in real git repositories: the link's recorded branch, and --force."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from runs_support import cli_in_process, dsl, git

from conftest import sample_notebook
from jupyter_dsl.project.scaffold import init_project

BRANCH = "explore/2-churn-by-region"


@pytest.fixture()
def project(tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """nb/analysis.ipynb linked to #2 Explore "Churn by region" (Prompted by #1), committed on main."""
    for name, value in (("NAME", "Branch Tester"), ("EMAIL", "branch@example.invalid")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)  # `git stash` records an author
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    root = tmp_path / "proj"
    init_project(root)
    (root / "nb").mkdir()
    nbformat.write(sample_notebook(), root / "nb" / "analysis.ipynb")
    cli_in_process(capsys, root, "issue", "new", "Ask", "Why do customers churn?")
    cli_in_process(capsys, root, "issue", "new", "Explore", "Churn by region", "--ask", "1")
    cli_in_process(capsys, root, "link", "nb/analysis.ipynb", "2")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    return root


def run_json(capsys: Any, root: Path, *args: str, code: int = 0) -> Any:
    out, _ = cli_in_process(capsys, root, *args, "--json", code=code)
    return json.loads(out)


def test_after_a_rename_branch_keeps_the_notebooks_branch(project: Path, capsys: Any) -> None:
    created = run_json(capsys, project, "branch", "nb/analysis.ipynb")
    assert (created["branch"], created["created"]) == (BRANCH, True)
    run_json(capsys, project, "issue", "edit", "2", "--title", "Churn by country")

    status = run_json(capsys, project, "status", "nb/analysis.ipynb")
    assert status["issue"]["title"] == "Churn by country"
    assert status["branch"] == {"current": BRANCH, "expected": BRANCH, "matches": True, "title_changed": True}
    human, _ = cli_in_process(capsys, project, "status", "nb/analysis.ipynb")
    assert BRANCH in human and "keeps its name" in human and "jupyter dsl branch" not in human

    again = run_json(capsys, project, "branch", "nb/analysis.ipynb")
    assert (again["branch"], again["created"]) == (BRANCH, False)
    git(project, "switch", "--quiet", "main")
    back = run_json(capsys, project, "branch", "nb/analysis.ipynb")  # what `status` recommends
    assert (back["branch"], back["created"], back["previous"]) == (BRANCH, False, "main")
    assert git(project, "branch", "--show-current") == BRANCH
    assert git(project, "branch", "--list", "*country*") == ""  # no branch named after the new title
    linked = nbformat.read(project / "nb" / "analysis.ipynb", as_version=4).metadata["jupyter_dsl"]
    assert linked["branch"] == BRANCH  # still linked, on the branch it names


def test_force_switches_when_the_branch_has_the_file_otherwise(project: Path, capsys: Any) -> None:
    """The reported failure: git refused the switch (raw message, exit 1) although --force was given."""
    run_json(capsys, project, "branch", "nb/analysis.ipynb")
    (project / "findings.md").write_text("on the branch\n")
    git(project, "add", "findings.md")
    git(project, "commit", "--quiet", "-m", "findings")
    git(project, "switch", "--quiet", "main")
    (project / "findings.md").write_text("mine, on main\n")  # untracked here, tracked on the branch
    (project / "dsl.toml").write_text((project / "dsl.toml").read_text() + "\n")  # travels along

    refused = dsl(project, "branch", "nb/analysis.ipynb", code=4)
    assert "dsl.toml" in refused.stderr and "--force" in refused.stderr
    forced = run_json(capsys, project, "branch", "nb/analysis.ipynb", "--force")
    assert (forced["branch"], forced["stashed"]) == (BRANCH, ["findings.md"])
    assert git(project, "branch", "--show-current") == BRANCH
    assert (project / "findings.md").read_text() == "on the branch\n"
    assert (project / "dsl.toml").read_text().endswith("\n\n")  # the carried change is still here
    assert "jupyter-dsl" in git(project, "stash", "list")

    git(project, "switch", "--quiet", "main")  # as the note says: back where the edit was made, pop
    git(project, "stash", "pop", "--quiet")
    assert (project / "findings.md").read_text() == "mine, on main\n"


def test_force_says_what_it_stashed(project: Path, capsys: Any) -> None:
    run_json(capsys, project, "branch", "nb/analysis.ipynb")
    (project / "findings.md").write_text("on the branch\n")
    git(project, "add", "findings.md")
    git(project, "commit", "--quiet", "-m", "findings")
    git(project, "switch", "--quiet", "main")
    (project / "findings.md").write_text("mine\n")
    out, _ = cli_in_process(capsys, project, "branch", "nb/analysis.ipynb", "--force")
    assert f"switched to {BRANCH}" in out and "stashed" in out and "git stash pop" in out


def test_a_git_failure_is_a_documented_exit_code(project: Path) -> None:
    (project / ".git" / "index.lock").write_text("")
    failed = dsl(project, "branch", "nb/analysis.ipynb", code=4)
    assert "index.lock" in failed.stderr and "Traceback" not in failed.stderr
    assert git(project, "branch", "--show-current") == "main"


def test_issue_show_and_status_with_a_missing_ask(project: Path, capsys: Any) -> None:
    body = run_json(capsys, project, "issue", "show", "2")["issue"]["body"]
    run_json(capsys, project, "issue", "edit", "2", "--body", body.replace("#1", "#77"))
    shown = run_json(capsys, project, "issue", "show", "2")
    assert (shown["issue"]["ask"], shown["ask"], shown["ask_missing"]) == (77, None, True)
    human, _ = cli_in_process(capsys, project, "issue", "show", "2")
    assert "#77 (missing" in human
    status = run_json(capsys, project, "status", "nb/analysis.ipynb")
    assert (status["ask"], status["ask_missing"], status["issue_error"]) == (None, True, None)
    human, _ = cli_in_process(capsys, project, "status", "nb/analysis.ipynb")
    assert "#77 (missing" in human and "tracker:" not in human
