"""A fixed exploration for the findings tests: a project, its Ask and Explore, and a notebook whose
findings use every way of writing one (tagged markdown and code cells, finding() outputs)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import nbformat
from runs_support import git

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.findings.capture import marker
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.notebook import links
from jupyter_dsl.project.settings import Project
from jupyter_dsl.trackers import IssueQuery, Tracker

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake image one").decode()
TABLE = (
    "<style>td { color: red }</style><table><thead><tr><th>region</th><th>rate</th></tr></thead>"
    "<tbody><tr><td>west</td><td>0.22</td></tr></tbody></table><script>alert(1)</script>"
)
EXPLORE_SECTIONS = {
    "Overview": "Is churn different across regions?",
    "Goals": "- [ ] churn rate by region\n- [x] churn rate by tenure bucket",
}


def churn_notebook(secret: str = "") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    md = nbformat.v4.new_markdown_cell
    code = nbformat.v4.new_code_cell
    plot = code("fig", metadata={"tags": ["finding"]})
    plot.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"}
        )
    ]
    tenure = code("jupyter_dsl.finding(...)")
    tenure.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data=marker(
                "First-year customers churn twice as often\nTenure under 12 months doubles the rate.",
                artifacts=1,
                answers="churn rate by tenure bucket",
            ),
        ),
        nbformat.v4.new_output("display_data", data={"text/html": TABLE, "text/plain": "table"}),
    ]
    stream = code("# Sample size\nprint(len(rows))", metadata={"tags": ["finding"]})
    stream.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"rows: 2000 {secret}\n")]
    nb.cells = [
        md("# Churn by region\n\nAn exploration."),
        md("## TL;DR\n\nWest churns most; tenure matters more than region.", metadata={"tags": ["tldr"]}),
        md(
            "### West churns most\n\nWest churns at 22%, north at 10%. Raw <b>html</b> stays text.\n\n"
            "answers: 1",
            metadata={"tags": ["finding"]},
        ),
        plot,
        code("rows = list(range(2000))"),
        tenure,
        stream,
        md("## Next Steps\n\n- Model tenure buckets.", metadata={"tags": ["next-steps"]}),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def churn_project(root: Path, tracker: Tracker, secret: str = "") -> Path:
    """Ask #1, Explore #2 "Churn by region" and nb/churn.ipynb linked to #2; returns the notebook."""
    ask = new_issue(tracker, IssueType.ASK, "Why do customers churn?")
    explore = new_issue(
        tracker, IssueType.EXPLORE, "Churn by region", ask=ask.number, sections=EXPLORE_SECTIONS
    )
    path = root / "nb" / "churn.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(churn_notebook(secret), path)
    links.link(tracker, path, explore.number)
    return path


def state_of(project: Project, tracker: Tracker) -> dict[str, Any]:
    """Everything complete may change: the files (but the tracker's database), git, issues, comments."""
    files = {
        p.relative_to(project.root).as_posix(): p.read_bytes()
        for p in sorted(project.root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and ".dsl" not in p.parts
    }
    issues = [i.to_json() for i in tracker.list(IssueQuery(state="all"))]
    comments = {i["number"]: [c.to_json() for c in tracker.comments(i["number"])] for i in issues}
    state = (git(project.root, "rev-parse", "HEAD"), git(project.root, "status", "--porcelain"))
    return {"files": files, "issues": issues, "comments": comments, "git": state}
