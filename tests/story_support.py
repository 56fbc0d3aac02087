"""A generated DSLP project for the story and site tests (and benchmarks/story.py): every issue type,
a succeeded and a failed Experiment with recorded runs, an Explore whose findings are committed only on
its Explore branch, an Explore without findings, an Ask with no work yet, and an Ask whose text is
hostile. Runs go into the real run index (``RunStore``) as the run service records them."""

from __future__ import annotations

import base64
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from findings_support import PNG, churn_project
from runs_support import git

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.findings.complete import plan_completion
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.runs.records import GitInfo, IssueInfo, RunError, RunRecord, run_identity
from jupyter_dsl.runs.store import RunStore
from jupyter_dsl.trackers import Tracker, open_tracker

FIGURE = base64.b64decode(PNG)  # the figure of the churn notebook's first finding
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror="alert(1)">'
HOSTILE_BODY = (
    f'Hostile problem {HOSTILE}\n\n<iframe src="https://evil.invalid/"></iframe>\n\n'
    "[click me](javascript:alert(3)) ![tracker](https://evil.invalid/pixel.png)\n"
    '<a href="javascript:alert(4)" onclick="alert(5)">x</a>'
)


@dataclass
class Generated:
    root: Path
    project: Project
    tracker: Tracker
    numbers: dict[str, int] = field(default_factory=dict)
    runs: dict[str, list[str]] = field(default_factory=dict)  # issue key -> run ids


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--allow-empty", "-m", message)


def run_record(
    issue: int,
    title: str,
    notebook: str,
    parameters: dict[str, object],
    metrics: dict[str, float],
    **extra: object,
) -> RunRecord:
    index = extra.pop("index", 0)
    run_id = (
        f"20260101-00{int(str(index)) // 60:02d}{int(str(index)) % 60:02d}-{issue:02d}{int(str(index)):04x}"
    )
    record = RunRecord(
        id=run_id,
        notebook=notebook,
        notebook_hash="0" * 64,
        parameters=parameters,
        kernel="python3",
        status=str(extra.pop("status", "succeeded")),
        identity=run_identity("0" * 64, {**parameters, "_": run_id}),
        issue=IssueInfo("local", issue, "Experiment", title),
        started_at=f"2026-01-01T00:{int(str(index)) // 60 % 60:02d}:{int(str(index)) % 60:02d}.000Z",
        finished_at=f"2026-01-01T00:{int(str(index)) // 60 % 60:02d}:{int(str(index)) % 60:02d}.500Z",
        duration_s=0.5,
        metrics=metrics,
        git=GitInfo(commit="c0ffee" + "0" * 34, branch="main", dirty=False, diff_hash=None),
        artifacts=[f"file:///artifacts/{run_id}/output.ipynb"],
    )
    if record.status == "failed":
        record.error = RunError(ename="ValueError", evalue="diverged", traceback=[], cell_index=3)
    return record


def experiment_runs(issue: int, title: str, notebook: str, good: bool, start: int = 0) -> list[RunRecord]:
    """A grid lr x depth: auc rises with lr (succeeded); all but one run failed (failed)."""
    records: list[RunRecord] = []
    for index, (lr, depth) in enumerate(itertools.product([0.01, 0.1, 1.0, 3.0], [2, 4]), start=start):
        auc = 0.6 + 0.1 * [0.01, 0.1, 1.0, 3.0].index(lr) + 0.01 * depth
        ok = good or index == start
        metrics = {"auc": auc if good else 0.51, "loss": 1 - auc} if ok else {}
        params = {"lr": lr, "depth": depth, "seed": 7}
        records.append(
            run_record(
                issue, title, notebook, params, metrics, index=index, status="succeeded" if ok else "failed"
            )
        )
    if good:
        records.append(
            run_record(
                issue,
                title,
                notebook,
                {"lr": 9.0, "depth": 2, "seed": 7},
                {},
                index=start + 99,
                status="failed",
            )
        )
    return records


def generated_project(root: Path) -> Generated:
    init_project(root)
    commit_all(root, "init")
    project = find_project(root)
    tracker = open_tracker(project)
    gen = Generated(root, project, tracker)
    notebook = churn_project(root, tracker)  # Ask #1, Explore #2 linked to nb/churn.ipynb
    gen.numbers.update(ask=1, explore=2)
    commit_all(root, "churn notebook")
    git(root, "switch", "--quiet", "-c", "explore/2-churn-by-region")
    plan_completion(project, tracker, notebook).run()  # findings committed on the Explore branch only
    git(root, "switch", "--quiet", "main")
    n = gen.numbers
    n["data"] = new_issue(tracker, IssueType.DATA, "Get CRM Dataset", ask=1).number
    n["explore_empty"] = new_issue(
        tracker,
        IssueType.EXPLORE,
        "Tenure buckets",
        ask=1,
        sections={"Goals": "- [x] buckets\n- [ ] seasonality"},
    ).number
    sections = {
        "Metrics": "auc on the hold-out month; target 0.8",
        "Results": "**TL;DR:** gradient boosting wins",
    }
    n["won"] = new_issue(tracker, IssueType.EXPERIMENT, "Gradient boosting", ask=1, sections=sections).number
    tracker.add_labels(n["won"], ["succeeded"])
    tracker.close(n["won"])
    n["lost"] = new_issue(
        tracker, IssueType.EXPERIMENT, "Deep net", ask=1, sections={"Metrics": "auc"}
    ).number
    tracker.add_labels(n["lost"], ["failed"])
    tracker.close(n["lost"])
    n["model"] = new_issue(
        tracker, IssueType.MODEL, "Implement churn model", ask=1, experiment=n["won"]
    ).number
    n["empty_ask"] = new_issue(tracker, IssueType.ASK, "Which customers come back?").number
    n["hostile_ask"] = new_issue(
        tracker, IssueType.ASK, f"Hostile {HOSTILE}", sections={"Problem Statement": HOSTILE_BODY}
    ).number
    n["hostile_experiment"] = new_issue(
        tracker, IssueType.EXPERIMENT, f"Experiment {HOSTILE}", ask=n["hostile_ask"]
    ).number
    records = experiment_runs(n["won"], "Gradient boosting", "nb/boost.ipynb", True)
    records += experiment_runs(n["lost"], "Deep net", "nb/net.ipynb", False, start=200)
    hostile_params = {"<b>p</b>": HOSTILE, "lr": 0.1}
    records += [
        run_record(
            n["hostile_experiment"],
            "x",
            "nb/h.ipynb",
            {**hostile_params, "lr": lr},
            {"auc": lr},
            index=400 + i,
        )
        for i, lr in enumerate([0.1, 0.2, 0.3])
    ]
    artifacts = project.database_path.parent / "artifacts"
    for record in records:  # each run's output notebook where the local artifact store keeps it
        output = artifacts / record.id / "output.ipynb"
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(nbformat.v4.new_notebook()))
        record.artifacts = [output.as_uri()]
    for path in sorted({r.notebook for r in records}):  # the notebooks the runs ran, committed
        (root / path).write_text(json.dumps(nbformat.v4.new_notebook()))
    commit_all(root, "experiment notebooks")
    project.database_path.parent.mkdir(parents=True, exist_ok=True)
    with RunStore(project.database_path) as store:
        store.insert_many(records)
    for key in ("won", "lost"):
        gen.runs[key] = [r.id for r in records if r.issue is not None and r.issue.number == n[key]]
    return gen
