"""A failing command changes nothing: tracker, files and git are as they were (the CLI, in this process)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from project_state import snapshot, unchanged
from runs_support import cli_in_process, dsl, git
from test_magics import Kernel

from conftest import sample_notebook
from jupyter_dsl.project.scaffold import init_project


@pytest.fixture()
def project(tmp_path: Path, capsys: Any) -> Path:
    """#1 Ask, #2 Explore (Prompted by #1, labelled, commented) linked from nb/analysis.ipynb; nb/free.ipynb
    unlinked; broken.ipynb malformed; notes.txt; everything committed on main."""
    root = tmp_path / "proj"
    init_project(root)
    for name in ("analysis", "free"):
        (root / "nb").mkdir(exist_ok=True)
        nbformat.write(sample_notebook(), root / "nb" / f"{name}.ipynb")
    (root / "broken.ipynb").write_bytes(b'{"cells": [ oops')
    (root / "notes.txt").write_text("not a notebook\n")
    for args in (
        ("issue", "new", "Ask", "Why do customers churn?"),
        ("issue", "new", "Explore", "Churn by region", "--ask", "1", "--label", "Communicate"),
        ("issue", "comment", "2", "first look"),
        ("link", "nb/analysis.ipynb", "2"),
    ):
        cli_in_process(capsys, root, *args)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    return root


FAILING: list[tuple[tuple[str, ...], int, str]] = [
    # issue new: everything it needs is checked before the issue is created
    (("issue", "new", "Explore", "Churn", "--link", "missing.ipynb"), 3, "missing.ipynb"),
    (("issue", "new", "Explore", "Churn", "--link", "broken.ipynb"), 2, "broken.ipynb"),
    (("issue", "new", "Explore", "Churn", "--link", "notes.txt"), 2, "notes.txt"),
    (("issue", "new", "Explore", "Churn", "--ask", "99", "--link", "nb/free.ipynb"), 3, "#99"),
    (("issue", "new", "Ask", "Churn", "--ask", "1"), 2, "Explore"),
    (("issue", "new", "Model", "Churn", "--ask", "2"), 2, "#2"),
    (("issue", "new", "Model", "Churn", "--ask", "1", "--experiment", "2"), 2, "#2"),
    (("issue", "new", "Story", "Churn"), 2, "Story"),
    (("issue", "new", "Explore", "   "), 2, "title"),
    (("issue", "new", "Explore", "Churn", "--section", "no equals sign"), 2, "HEADING=TEXT"),
    # labels: all checked before any is written
    (("issue", "label", "2", "--add", "succeeded", "--remove", "on hold"), 3, "on hold"),
    (("issue", "label", "99", "--add", "succeeded"), 3, "#99"),
    (("issue", "label", "2", "--add", "failed", "--remove", "failed"), 2, "failed"),
    (("issue", "label", "2", "--add", "  "), 2, "label"),
    (("issue", "label", "2"), 2, "nothing to change"),
    # other issue commands on a missing issue or with bad input
    (("issue", "edit", "99", "--title", "New"), 3, "#99"),
    (("issue", "edit", "2", "--title", "  "), 2, "title"),
    (("issue", "edit", "2", "--body", "x", "--body-file", "notes.txt"), 2, "not both"),
    (("issue", "edit", "2", "--body-file", "missing.md"), 3, "missing.md"),
    (("issue", "comment", "99", "hello"), 3, "#99"),
    (("issue", "comment", "2", "   "), 2, "comment"),
    (("issue", "close", "99", "--comment", "bye"), 3, "#99"),
    (("issue", "close", "2", "--reason", "bored"), 2, "bored"),
    (("issue", "reopen", "99"), 3, "#99"),
    # links and branches
    (("link", "nb/free.ipynb", "99"), 3, "#99"),
    (("link", "broken.ipynb", "1"), 2, "broken.ipynb"),
    (("link", "notes.txt", "1"), 2, "notebook"),
    (("link", "missing.ipynb", "1"), 3, "missing.ipynb"),
    (("unlink", "broken.ipynb"), 2, "broken.ipynb"),
    (("branch", "nb/free.ipynb"), 3, "not linked"),
    (("branch", "broken.ipynb"), 2, "broken.ipynb"),
    # parameters and runs: refused before any write or kernel
    (("params", "nb/analysis.ipynb", "--tag-cell", "9"), 2, "no cell 9"),
    (("params", "nb/analysis.ipynb", "--tag-cell", "1"), 2, "markdown"),
    (("params", "nb/analysis.ipynb", "--tag-cell", "3"), 4, "--move"),
    (("params", "broken.ipynb", "--tag-cell", "1"), 2, "broken.ipynb"),
    (("run", "nb/analysis.ipynb", "-p", "nope", "1"), 2, "nope"),
    (("run", "nb/analysis.ipynb", "-p", "alpha", "'many'"), 2, "alpha"),
    (("run", "nb/analysis.ipynb", "-f", "missing.yaml"), 5, "missing.yaml"),
    (("rerun", "nope"), 3, "nope"),
]


@pytest.mark.parametrize(("args", "code", "said"), FAILING, ids=[" ".join(a) for a, _, _ in FAILING])
def test_a_failing_command_changes_nothing(
    project: Path, capsys: Any, args: tuple[str, ...], code: int, said: str
) -> None:
    with unchanged(project):
        out, err = cli_in_process(capsys, project, *args, code=code)
    assert said in out + err and "Traceback" not in err


def test_the_snapshot_sees_each_kind_of_change(project: Path, capsys: Any) -> None:
    """The helper itself: a label, a file byte and a branch are each a difference."""
    from project_state import differences

    before = snapshot(project)
    cli_in_process(capsys, project, "issue", "label", "2", "--add", "succeeded")
    labelled = snapshot(project)
    assert any("issue_labels" in d for d in differences(before, labelled))
    (project / "notes.txt").write_text("edited\n")
    edited = snapshot(project)
    said = differences(labelled, edited)
    assert "file notes.txt changed" in said and any(d.startswith("git status") for d in said)
    git(project, "branch", "elsewhere")
    assert any(d.startswith("git refs") for d in differences(edited, snapshot(project)))


def test_label_add_and_remove_together_is_all_or_nothing(project: Path, capsys: Any) -> None:
    out, _ = cli_in_process(
        capsys, project, "issue", "label", "2", "--add", "succeeded", "--remove", "Communicate", "--json"
    )
    assert '"succeeded"' in out and '"Communicate"' not in out
    with unchanged(project):
        cli_in_process(
            capsys, project, "issue", "label", "2", "--add", "failed", "--remove", "on hold", code=3
        )


def test_branch_on_a_dirty_tree_is_refused_and_changes_nothing(project: Path, capsys: Any) -> None:
    (project / "notes.txt").write_text("uncommitted\n")
    with unchanged(project):
        _, err = cli_in_process(capsys, project, "branch", "nb/analysis.ipynb", code=4)
    assert "notes.txt" in err and "--force" in err


def test_unlinking_an_unlinked_notebook_changes_nothing(project: Path, capsys: Any) -> None:
    with unchanged(project):
        out, _ = cli_in_process(capsys, project, "unlink", "nb/free.ipynb")
    assert "nothing changed" in out


def test_issue_new_with_link_still_works(project: Path, capsys: Any) -> None:
    before = (project / "nb" / "free.ipynb").read_bytes()
    out, _ = cli_in_process(
        capsys, project, "issue", "new", "Experiment", "Boosting", "--ask", "1", "--link", "nb/free.ipynb"
    )
    assert "created #3" in out and "experiment/3-boosting" in out
    assert (project / "nb" / "free.ipynb").read_bytes() != before
    assert (
        nbformat.read(project / "nb" / "free.ipynb", as_version=4).metadata["jupyter_dsl"]["issue"]["number"]
        == 3
    )


def test_a_real_subprocess_exits_with_the_code_and_changes_nothing(project: Path) -> None:
    """The issue's own example, through `python -m jupyter_dsl`."""
    with unchanged(project):
        result = dsl(project, "issue", "new", "Explore", "Churn", "--link", "missing.ipynb", code=3)
    assert "not found" in result.stderr


def test_magic_new_with_link_to_a_broken_notebook_creates_nothing(project: Path) -> None:
    kernel = Kernel(project, str(project / "broken.ipynb"))
    try:
        status, _, text = kernel.run("%load_ext jupyter_dsl")
        assert status == "ok", text
        with unchanged(project):
            status, _, text = kernel.run('%dsl new Explore "Churn" --link')
        assert status == "error" and "broken.ipynb" in text
    finally:
        kernel.close()
