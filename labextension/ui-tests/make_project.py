"""Make the DSLP project the browser tests open, through jupyter-dsl's core API.

``python make_project.py DIR`` makes DIR a git repository and a DSLP project (``dsl.toml``), creates
an Ask and an Explore issue on the local tracker, writes one unlinked notebook per test (and a config
file, a grid file, a notebook whose DSLP branch holds another version of it), commits,
records two runs of ``with-runs.ipynb`` that differ in three parameters (real papermill runs, through
the core), and prints what it made as JSON on stdout (the tests read the issue numbers and the runs
from it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat

from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.notebook.links import link
from jupyter_dsl.notebook.document import get_link
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.runs import RunRecord, RunStore
from jupyter_dsl.runs.service import run_notebook
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.trackers import open_tracker
from story_project import add_story, record_story_runs
from make_synced import synced_project

NOTEBOOKS = (
    "link-from-sidebar.ipynb",
    "unsaved-edits.ipynb",
    "errors-and-unlink.ipynb",
    "new-issue.ipynb",
    "kernel-link.ipynb",
)
WITH_RUNS = "with-runs.ipynb"
FLOW = "sections-flow.ipynb"  # create an issue, make a parameters cell, run from the form, complete
# Linked notebooks for the panel-switch timing: two to switch between, and one to open in the
# background (linked to the Explore, like the first).
SWITCH = ("switch-a.ipynb", "switch-b.ipynb", "switch-background.ipynb")
BATCH = "batch.ipynb"  # the Batch section's tests: square = n * n; n >= 2 waits while `hold` exists
MANY_RUNS = "many-runs.ipynb"  # 5,000 recorded runs (records written straight to the run index)
MANY = 5000
# runs-table.spec.ts: the main-area runs table over six runs written straight to the run index; region
# never varies (the sidebar hides it, the table shows it), one value is hostile markup (shown as text).
TABLE = "runs-table.ipynb"
HOSTILE = '<img src=x onerror="document.body.dataset.hostile=1">'
# sidebar-actions.spec.ts: a notebook whose run fails for alpha 0, a config file and a grid file; a
# notebook to create issues from without linking it; and one linked to the Explore whose DSLP branch
# holds another version of it (Switch must show that version).
ACTIONS = "sidebar-actions.ipynb"
CONFIG, GRID = "configs/fast.yaml", "configs/sweep.yaml"
UNLINKED = "create-without-link.ipynb"
SWITCH_REVERT = "switch-revert.ipynb"
ON_BRANCH = "# On the Explore branch"
# One run each, in this order (the newest run is the last). Three varying parameters with long names
# make the runs table wider than the sidebar: the metric column must still be in view.
RUN_PARAMETERS = (
    (("alpha", "0.1"), ("region", "north"), ("sampling_strategy", "uniform")),
    (("alpha", "0.3"), ("region", "south"), ("sampling_strategy", "stratified")),
)


def notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["authors"] = [{"name": "ui-test"}]  # other metadata must survive linking
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Churn by region\n\nWhere do customers leave?"),
        nbformat.v4.new_code_cell('region = "north"\nthreshold = 0.2', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(region, threshold)"),
    ]
    return nb


def notebook_with_runs() -> nbformat.NotebookNode:
    nb = notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tune alpha"),
        nbformat.v4.new_code_cell(
            'alpha = 0.5  # learning rate\nregion = "north"\nsampling_strategy = "uniform"',
            metadata={"tags": ["parameters"]},
        ),
        nbformat.v4.new_code_cell('import jupyter_dsl\n\njupyter_dsl.record("score", alpha * 2)'),
    ]
    return nb


def notebook_without_parameters() -> nbformat.NotebookNode:
    """No cell is tagged `parameters` yet (the test makes one); one finding answering goal 1."""
    nb = notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Seasonality\n\nDoes churn follow the seasons?"),
        nbformat.v4.new_code_cell("alpha = 0.5\nregion = 'north'"),
        nbformat.v4.new_code_cell('import jupyter_dsl\n\njupyter_dsl.record("score", alpha * 2)'),
        nbformat.v4.new_markdown_cell(
            "## Winter churn is twice summer churn\n\nanswers: 1", metadata={"tags": ["finding"]}
        ),
    ]
    return nb


def batch_notebook() -> nbformat.NotebookNode:
    nb = notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Square n"),
        nbformat.v4.new_code_cell(
            'n = 0\nhold = ""  # runs with n of 2 or more wait while this file exists',
            metadata={"tags": ["parameters"]},
        ),
        nbformat.v4.new_code_cell(
            "import time\nfrom pathlib import Path\n\nimport jupyter_dsl\n\n"
            "while n >= 2 and hold and Path(hold).exists():\n    time.sleep(0.1)\n"
            'jupyter_dsl.record("square", n * n)'
        ),
    ]
    return nb


def actions_notebook() -> nbformat.NotebookNode:
    nb = notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Inverse alpha"),
        nbformat.v4.new_code_cell('alpha = 0.5\nregion = "north"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell('import jupyter_dsl\n\njupyter_dsl.record("inverse", 1 / alpha)'),
    ]
    return nb


def branch_version(root: Path, name: str) -> str:
    """Commit another version of notebook ``name`` on its DSLP branch (made here), back on the first."""
    link = get_link(root / name)
    assert link is not None
    git(root, "switch", "--quiet", "-c", link.branch)
    nb = nbformat.read(root / name, as_version=4)
    nb.cells[0].source = ON_BRANCH
    nbformat.write(nb, root / name)
    git(root, "commit", "--quiet", "-am", f"{name} on {link.branch}")
    git(root, "switch", "--quiet", "-")
    return link.branch


def many_runs(project: Project, notebook: str) -> None:
    """MANY succeeded runs that vary two parameters and record a metric (no kernel: the table's test)."""
    records = []
    for i in range(MANY):
        started = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=i)
        record = RunRecord(
            f"{started:%Y%m%d-%H%M%S}-{i:06x}",
            notebook,
            "0" * 64,
            {"alpha": round(0.001 * (i % 1000), 3), "depth": i % 7},
            "python3",
            status="succeeded",
            started_at=started.isoformat(),
        )
        record.finished_at = (started + timedelta(seconds=1)).isoformat()
        record.duration_s = 1.0
        record.metrics = {"score": round(((i * 37) % 1000) / 1000, 3)}
        records.append(record)
    with RunStore(project.database_path) as store:
        store.insert_many(records)


def table_runs(project: Project, notebook: str) -> list[str]:
    """Six succeeded runs (alpha, sampling_strategy vary; region does not) with two metrics; their ids."""
    records = []
    for i, alpha in enumerate((0.1, 0.2, 0.3, 0.4, 0.5, 0.6)):
        started = datetime(2026, 2, 1, tzinfo=timezone.utc) + timedelta(minutes=i)
        strategy = HOSTILE if i == 2 else ("uniform", "stratified")[i % 2]
        parameters = {"alpha": alpha, "region": "north", "sampling_strategy": strategy}
        record = RunRecord(f"{started:%Y%m%d-%H%M%S}-t{i:05x}", notebook, "0" * 64, parameters, "python3")
        record.status, record.started_at = "succeeded", started.isoformat()
        record.finished_at = (started + timedelta(seconds=1)).isoformat()
        record.duration_s = 1.0
        record.metrics = {"score": round(alpha * 2, 3), "loss": round(1 - alpha, 3)}
        records.append(record)
    with RunStore(project.database_path) as store:
        store.insert_many(records)
    return [record.id for record in records]


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=ui-test", "-c", "user.email=ui-test@localhost", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def main(directory: str) -> None:
    root = Path(directory)
    init_project(root, name="ui-test")
    tracker = open_tracker(find_project(root))
    ask = new_issue(
        tracker, IssueType.ASK, "Reduce churn", sections={"Desired Outcome": "Fewer customers leave."}
    )
    explore = new_issue(
        tracker,
        IssueType.EXPLORE,
        "Churn by region",
        ask=ask.number,
        sections={"Overview": "Why churn differs by region.", "Goals": "- [ ] churn rate per region"},
    )
    for name in NOTEBOOKS:
        nbformat.write(notebook(), root / name)
    nbformat.write(notebook_with_runs(), root / WITH_RUNS)
    nbformat.write(notebook_without_parameters(), root / FLOW)
    for name, number in zip(SWITCH, (explore.number, ask.number, explore.number), strict=True):
        nbformat.write(notebook_with_runs(), root / name)
        link(tracker, root / name, number)
    nbformat.write(batch_notebook(), root / BATCH)
    nbformat.write(notebook_with_runs(), root / MANY_RUNS)
    nbformat.write(notebook_with_runs(), root / TABLE)
    nbformat.write(actions_notebook(), root / ACTIONS)
    (root / "configs").mkdir()
    (root / CONFIG).write_text("alpha: 0.25\n", encoding="utf-8")
    (root / GRID).write_text("parameters: {region: west}\ngrid:\n  alpha: [0, 1]\n", encoding="utf-8")
    nbformat.write(notebook(), root / UNLINKED)
    nbformat.write(notebook(), root / SWITCH_REVERT)
    link(tracker, root / SWITCH_REVERT, explore.number)
    story = add_story(root, tracker, notebook_with_runs())
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "ui-test project")
    switch_branch = branch_version(root, SWITCH_REVERT)
    project = find_project(root)
    runs = [run_notebook(project, root / WITH_RUNS, overrides=list(values)) for values in RUN_PARAMETERS]
    many_runs(project, MANY_RUNS)
    table_ids = table_runs(project, TABLE)
    story = record_story_runs(project, story)
    synced = synced_project(root, notebook())
    json.dump(
        {
            "root": str(root.resolve()),
            "ask": {"number": ask.number, "title": ask.title},
            "explore": {"number": explore.number, "title": explore.title},
            "notebooks": list(NOTEBOOKS),
            "flow": FLOW,
            "switch": list(SWITCH),
            "with_runs": {
                "notebook": WITH_RUNS,
                "runs": [
                    {"id": run.id, "status": run.status, "parameters": run.parameters, "metrics": run.metrics}
                    for run in runs
                ],
            },
            "batch": {"notebook": BATCH, "hold": str(root.resolve().parent / "hold.flag")},
            "many_runs": {"notebook": MANY_RUNS, "count": MANY},
            "runs_table": {"notebook": TABLE, "runs": table_ids, "hostile": HOSTILE},
            "story": story,
            "actions": {
                "notebook": ACTIONS,
                "config": CONFIG,
                "grid": GRID,
                "unlinked": UNLINKED,
                "switch": {"notebook": SWITCH_REVERT, "branch": switch_branch, "heading": ON_BRANCH},
            },
            "synced": synced,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python make_project.py DIR")
    main(sys.argv[1])
