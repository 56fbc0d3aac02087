"""`jupyter dsl goal | findings | complete` as a user runs them, and findings that survive papermill."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
from findings_support import churn_project
from runs_support import dsl, dsl_json, git

from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.trackers import LocalTracker

FINDING_CELLS = [
    ("code", "%load_ext jupyter_dsl\nimport jupyter_dsl"),
    ("code", "%%finding Squares grow fast --answers 1\nprint([n * n for n in range(4)])"),
    ("code", 'jupyter_dsl.finding("Sum is six\\nOne plus two plus three.", artifact=sum([1, 2, 3]))'),
]


def _project(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "proj"
    init_project(root)
    tracker = LocalTracker(find_project(root).database_path)
    notebook = churn_project(root, tracker)
    tracker.close_connection()
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    return root, notebook


def test_goal_adds_and_ticks_a_goal_of_the_explore_issue(tmp_path: Path) -> None:
    root, _ = _project(tmp_path)
    added = dsl_json(root, "goal", "nb/churn.ipynb", "Does tenure beat region?")
    assert [(g["text"], g["done"]) for g in added["goals"]] == [
        ("churn rate by region", False),
        ("churn rate by tenure bucket", True),
        ("Does tenure beat region?", False),
    ]
    ticked = dsl_json(root, "goal", "nb/churn.ipynb", "--done", "3")
    assert ticked["goals"][2]["done"] is True
    body = dsl_json(root, "issue", "show", "2")["issue"]["body"]
    assert "- [ ] churn rate by tenure bucket" not in body and "- [x] Does tenure beat region?" in body
    error = dsl(root, "goal", "nb/churn.ipynb", "--done", "9", code=2).stderr
    assert "there is no item 9 under 'Goals'" in error


def test_complete_dry_run_prints_everything_then_yes_does_it(tmp_path: Path) -> None:
    root, notebook = _project(tmp_path)
    before = notebook.read_bytes()
    dry = dsl(root, "complete", "nb/churn.ipynb", "--dry-run").stdout
    assert "→ write docs/findings/2-churn-by-region.md and 1 image(s) beside it (would do)" in dry
    assert "### Insight 3: Sample size" in dry and "<!-- jupyter-dsl:findings nb/churn.ipynb -->" in dry
    assert "→ close #2 as completed (would do)" in dry
    assert notebook.read_bytes() == before and not (root / "docs").exists()
    refused = dsl(root, "complete", "nb/churn.ipynb", code=None, stdin="n\n")
    assert refused.returncode == 130 and notebook.read_bytes() == before
    done = dsl_json(root, "complete", "nb/churn.ipynb", "--yes")
    assert [s["state"] for s in done["steps"]] == ["done"] * 6
    assert dsl_json(root, "issue", "show", "2")["issue"]["state"] == "closed"
    again = dsl(root, "complete", "nb/churn.ipynb").stdout  # nothing left to do: no question asked
    assert "#2 is already complete" in again


def test_finding_and_the_cell_magic_survive_a_papermill_run(tmp_path: Path) -> None:
    root, _ = _project(tmp_path)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Noted by hand", metadata={"tags": ["finding"]})]
    nb.cells += [nbformat.v4.new_code_cell(source) for _, source in FINDING_CELLS]
    notebook = root / "nb" / "code.ipynb"
    nbformat.write(nb, notebook)
    dsl(root, "link", "nb/code.ipynb", "2")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "findings from code")
    record = dsl_json(root, "run", "nb/code.ipynb", code=None)
    assert record["status"] == "succeeded", record.get("error")
    out = dsl_json(root, "findings", "nb/code.ipynb", "--run", record["id"], "--out", "out")
    assert out["insights"] == ["Noted by hand", "Squares grow fast", "Sum is six"]
    text = (root / "out" / "2-churn-by-region.md").read_text()
    assert "### Insight 2: Squares grow fast\n\n```\n[0, 1, 4, 9]\n```" in text
    assert "### Insight 3: Sum is six\n\nOne plus two plus three.\n\n```\n6\n```" in text
    assert "- [ ] churn rate by region (answered by Insight 2)" in text
    assert f"- Run: `{record['id']}`" in text
    assert "## Runs\n\n| run | status | started |" in text
    # the saved notebook has no outputs: only the hand-written finding
    saved = dsl_json(root, "findings", "nb/code.ipynb", "--out", "out2")
    assert saved["insights"] == ["Noted by hand"]
    assert json.loads(notebook.read_text())["cells"][-1]["outputs"] == []


def test_the_demo_ends_with_a_completed_exploration(tmp_path: Path) -> None:
    report = dsl_json(tmp_path, "demo", "d", "--no-runs")
    root = Path(report["root"])
    summary = root / "docs" / "findings" / f"{report['explore']}-churn-by-region.md"
    assert "### Insight 1: West and south churn most" in summary.read_text()
    assert "- [ ] churn rate by region (answered by Insight 1)" in summary.read_text()
    shown = dsl_json(root, "issue", "show", str(report["explore"]))
    assert shown["issue"]["state"] == "closed"
    assert "### Insight 1: West and south churn most" in shown["comments"][0]["body"]
    ask = dsl_json(root, "issue", "show", str(report["ask"]))["issue"]["body"]
    assert f"- [x] #{report['explore']} Churn by region: West and south churn most" in ask
    status = dsl_json(root, "status", report["notebook"])
    assert status["link"]["status"] == "complete"
    assert git(root, "status", "--porcelain") == ""


def test_dsl_complete_in_jupyterlab_sets_the_status_in_the_open_document(tmp_path: Path) -> None:
    from test_magics import Kernel

    root, notebook = _project(tmp_path)
    before = notebook.read_bytes()
    kernel = Kernel(notebook.parent, str(notebook), frontend="answer")
    try:
        kernel.run("%load_ext jupyter_dsl")
        status, outputs, text = kernel.run('%dsl goal "Is west special?"')
        assert status == "ok", text
        status, outputs, text = kernel.run("%dsl complete")
        assert status == "ok", text
        (edit,) = [e for e in kernel.edits if e.get("action") == "link"]  # came over the hello comm
        link = edit["link"]
        assert (link["status"], link["issue"]["number"]) == ("complete", 2) and link["completed_at"]
        assert "in the open notebook" in text
        assert "✓ close #2 as completed (done)" in "".join(o.get("text/plain", "") for o in outputs)
    finally:
        kernel.close()
    assert notebook.read_bytes() == before  # the editor owns the open notebook: the file is not written
    issue = dsl_json(root, "issue", "show", "2")
    assert issue["issue"]["state"] == "closed" and "- [ ] Is west special?" in issue["issue"]["body"]
    assert (root / "docs" / "findings" / "2-churn-by-region.md").is_file()


def test_a_completion_has_one_shape_on_the_cli_in_a_magic_and_in_the_core(tmp_path: Path) -> None:
    """`complete --dry-run --json`, `%dsl complete --dry-run --json` and the core's Completion agree."""
    import ast

    from kernel_support import Kernel, plain

    from jupyter_dsl.findings.complete import MARKS, StepResult, plan_completion

    root, notebook = _project(tmp_path)
    cli_said = dsl_json(root, "complete", "nb/churn.ipynb", "--dry-run")
    project = find_project(root)
    tracker = LocalTracker(project.database_path)
    try:
        core = plan_completion(project, tracker, notebook, shown="nb/churn.ipynb").complete(dry_run=True)
    finally:
        tracker.close_connection()
    kernel = Kernel(root / "nb", "nb/churn.ipynb")
    try:
        kernel.run("%load_ext jupyter_dsl")
        status, outputs, text = kernel.run("%dsl complete --dry-run --json")
        assert status == "ok", text
        magic_said = ast.literal_eval(plain(outputs))
        _, shown, _ = kernel.run("%dsl complete --dry-run")
    finally:
        kernel.close()

    def timeless(said: dict[str, Any]) -> str:  # each planned the completion at its own second
        return re.sub(r"completed_at [0-9T:Z-]+", "completed_at T", json.dumps(said, sort_keys=True))

    assert timeless(cli_said) == timeless(core.to_json()) == timeless(magic_said)
    assert cli_said["dry_run"] is True and cli_said["summary_path"].endswith("2-churn-by-region.md")
    assert [step["state"] for step in cli_said["steps"]] == ["would do"] * len(cli_said["steps"])
    lines = [line for line in plain(shown).splitlines() if line.endswith("(would do)")]
    wanted = [f"→ {step['description']} (would do)" for step in cli_said["steps"]]
    assert [timeless({"line": line}) for line in lines] == [timeless({"line": line}) for line in wanted]
    assert [StepResult("x", state).mark for state in ("done", "already done", "would do")] == ["✓", "·", "→"]
    assert set(MARKS) == {"done", "already done", "would do"}
