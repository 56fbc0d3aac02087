"""`complete` is a fixed point: once it has run, every `complete --dry-run` finds every step done until
the notebook, its runs or its issue really change. The real demo, the real CLI, real git and real runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
from findings_support import churn_project, state_of
from runs_support import dsl, dsl_json, git

from jupyter_dsl.findings.complete import completed_link
from jupyter_dsl.findings.summary import build_summary
from jupyter_dsl.notebook.document import get_link, set_link
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.trackers import LocalTracker

NOTEBOOK = "notebooks/explore_churn.ipynb"
SUMMARY = "docs/findings/2-churn-by-region.md"
DONE = "already done"
# the steps of completing the demo's Explore #2, in order
WRITE, COMMIT, COMMENT, ASK_LINE, CLOSE, MARK = range(6)


def demo(tmp_path: Path, *options: str) -> Path:
    root = tmp_path / "demo"
    dsl(tmp_path, "demo", str(root), *options, timeout=600)
    return root


def dry_run(root: Path) -> list[str]:
    """The state of each step `complete --dry-run --json` reports."""
    answer = dsl_json(root, "complete", NOTEBOOK, "--dry-run")
    assert answer["dry_run"] is True
    steps = answer["steps"]
    verbs = [step["description"].split()[0] for step in steps]
    assert verbs == ["write", "commit", "update", "set", "close", "set"]
    return [step["state"] for step in steps]


def proposed(root: Path) -> set[int]:
    """The steps the dry run would do (all others must be already done)."""
    states = dry_run(root)
    assert set(states) <= {DONE, "would do"}, states
    return {i for i, state in enumerate(states) if state == "would do"}


@contextmanager
def local_tracker(root: Path) -> Iterator[LocalTracker]:
    tracker = LocalTracker(find_project(root).database_path)
    try:
        yield tracker
    finally:
        tracker.close_connection()


def snapshot(root: Path) -> dict[str, Any]:
    with local_tracker(root) as tracker:
        return state_of(find_project(root), tracker)


def complete_twice(root: Path) -> list[str]:
    """`complete --yes` twice: the second finds everything done and changes nothing at all."""
    first = dsl_json(root, "complete", NOTEBOOK, "--yes")
    after_first = snapshot(root)
    second = dsl_json(root, "complete", NOTEBOOK, "--yes")
    assert [s["state"] for s in second["steps"]] == [DONE] * 6
    assert snapshot(root) == after_first  # no commit, no comment, no tracker change, no file
    assert proposed(root) == set()
    return [s["state"] for s in first["steps"]]


def test_provenance_names_the_commit_that_last_changed_the_notebook_not_its_link(
    project: Project, tracker: LocalTracker
) -> None:
    notebook = churn_project(project.root, tracker)
    relative = "nb/churn.ipynb"

    def commit(message: str) -> str:
        git(project.root, "add", "--all")
        git(project.root, "commit", "--quiet", "--allow-empty", "-m", message)
        return git(project.root, "rev-parse", "HEAD")

    def named() -> str | None:
        return build_summary(notebook, project=project, tracker=tracker).provenance.commit

    assert named() is None  # not committed yet: no commit holds it
    cells = commit("the exploration, linked")
    (project.root / "notes.txt").write_text("an unrelated file\n")
    commit("an unrelated file")
    link = get_link(notebook)
    assert link is not None
    set_link(notebook, completed_link(link))  # what `complete` changes in the notebook
    commit("only the link: the notebook marked complete")
    data = json.loads(notebook.read_text())
    notebook.write_text(json.dumps(data, indent=4))  # the same notebook, other whitespace
    commit("the same JSON, reformatted")
    assert git(project.root, "log", "--format=%H", "--", relative).splitlines()[-1] == cells
    assert named() == cells != git(project.root, "rev-parse", "HEAD")

    data["cells"][1]["source"] = "## TL;DR\n\nTenure matters most."
    notebook.write_text(json.dumps(data, indent=1))
    assert named() == cells  # not committed yet: still the commit that holds the rest
    changed = commit("a new TL;DR")
    assert named() == changed
    git(project.root, "rm", "--quiet", "--cached", relative)
    git(project.root, "commit", "--quiet", "-m", "the notebook is no longer tracked")
    assert notebook.is_file()
    assert named() is None


def test_after_the_demo_and_an_unrelated_commit_every_step_is_already_done(tmp_path: Path) -> None:
    root = demo(tmp_path, "--no-runs")
    assert git(root, "status", "--porcelain") == ""
    assert proposed(root) == set()
    # Provenance names the commit that wrote the notebook's cells: neither the link's commit nor the
    # completion's own (they change only metadata.jupyter_dsl), nor HEAD
    start = git(root, "log", "--format=%H", "--grep", "Start the churn project")
    assert start and start != git(root, "rev-parse", "HEAD")
    assert f"- Commit: `{start}`" in (root / SUMMARY).read_text()

    (root / "notes.txt").write_text("an unrelated file\n")
    git(root, "add", "notes.txt")
    git(root, "commit", "--quiet", "-m", "an unrelated commit")
    assert proposed(root) == set()
    before = snapshot(root)
    assert complete_twice(root) == [DONE] * 6
    assert snapshot(root) == before


def test_a_new_run_an_issue_edit_or_a_new_finding_is_proposed_again_then_settles(tmp_path: Path) -> None:
    root = demo(tmp_path)  # with its recorded runs, as `jupyter dsl demo` makes it
    assert proposed(root) == set()

    # a new run: the Runs section changes; the Ask's line (the TL;DR) does not
    dsl(root, "run", NOTEBOOK, "-p", "region", "north")
    assert proposed(root) == {WRITE, COMMIT, COMMENT}
    assert complete_twice(root)[: ASK_LINE + 1] == ["done", "done", "done", DONE]
    assert "north" in (root / SUMMARY).read_text()

    # the issue's Overview is edited (it is closed now: still its summary's)
    with local_tracker(root) as tracker:
        body = tracker.get(2).body
        tracker.edit(2, body=body.replace("Is churn different", "Is churn really different"))
    assert proposed(root) == {WRITE, COMMIT, COMMENT}
    complete_twice(root)
    assert "Is churn really different" in (root / SUMMARY).read_text()

    # a new finding: its title joins the TL;DR, so the Ask's line changes too
    path = root / NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    finding = "## Tenure matters more\n\nFirst-year customers churn about twice as often."
    nb.cells.append(nbformat.v4.new_markdown_cell(finding, metadata={"tags": ["finding"]}))
    nbformat.write(nb, path)
    assert proposed(root) == {WRITE, COMMIT, COMMENT, ASK_LINE}
    # committed, the notebook's new cells are at a new commit: the summary names that one
    git(root, "commit", "--quiet", "-m", "a new finding", "--", NOTEBOOK)
    assert proposed(root) == {WRITE, COMMIT, COMMENT, ASK_LINE}
    assert complete_twice(root)[:CLOSE] == ["done"] * 4
    text = (root / SUMMARY).read_text()
    assert "Tenure matters more" in text
    assert f"- Commit: `{git(root, 'log', '-1', '--format=%H', '--', NOTEBOOK)}`" in text
    assert git(root, "status", "--porcelain") == ""
