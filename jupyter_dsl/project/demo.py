"""`jupyter dsl demo`: a small worked DSLP project to look at and play with.

A git repository with ``dsl.toml`` and the issue templates, an Ask, a Data and an Explore issue on the
local tracker, a customers dataset versioned outside git (tied to the Data issue), and a parameterized
notebook that reads it through ``jupyter_dsl.dataset``, linked to the Explore issue, on its branch.
"""

from __future__ import annotations

import platform
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import nbformat

from .. import hints
from ..dslp.issue_types import IssueType
from ..errors import Conflict
from ..issues.create import new_issue
from ..notebook import links
from ..notebook.document import PARAMETERS_TAG
from ..runs.inside_run import refuse_inside_run
from ..trackers import Tracker, open_tracker
from . import gitrepo
from .lab_program import lab_command
from .scaffold import init_project
from .settings import find_project

NOTEBOOK = "notebooks/explore_churn.ipynb"
CONFIG = "configs/baseline.yaml"
DATASET = "data/customers.csv"  # git-ignored; versioned by `data add`, pinned by datasets/customers.dvc

ASK_SECTIONS = {
    "Problem Statement": "Customers leave and we notice too late to act.",
    "Desired Outcome": "Account managers see which customers are likely to churn next month.",
    "Metrics": "Recall of churners at 20% of accounts contacted; target 0.6.",
}
DATA_SECTIONS = {
    "Dataset Description": "One row per customer: region, tenure in months, whether they churned.",
    "Source system": "Synthetic, made by `jupyter dsl demo`.",
}
EXPLORE_SECTIONS = {
    "Overview": "Is churn different across regions and tenure? This shapes the features of the first model.",
    "Goals": "- [ ] churn rate by region\n- [ ] churn rate by tenure bucket",
}

_CELLS: list[tuple[str, str, list[str]]] = [
    (
        "markdown",
        "# Churn by region\n\nAn exploration for the Ask *Why do customers churn?*. "
        "The parameters cell below is papermill's: `jupyter dsl run` and `%dsl run` set it.",
        [],
    ),
    (
        "code",
        "# Parameters: papermill injects new values after this cell.\n"
        'region = "all"  # one of: all, north, south, east, west\n'
        "min_tenure = 0  # months; customers with less tenure are left out\n"
        "customers = 2000  # size of the sample drawn from the dataset\n"
        "seed = 7  # random seed of the sample",
        [PARAMETERS_TAG],
    ),
    (
        "code",
        "import csv\n"
        "import random\n\n"
        "import jupyter_dsl\n\n"
        "# the customers dataset, the version this commit pins (pulled and checked when missing)\n"
        'with open(jupyter_dsl.dataset("customers"), newline="") as handle:\n'
        '    rows = [(r["region"], int(r["tenure"]), r["churned"] == "1") for r in csv.DictReader(handle)]\n'
        'regions = ["north", "south", "east", "west"]\n'
        "rows = random.Random(seed).sample(rows, min(customers, len(rows)))\n"
        'selected = [row for row in rows if row[1] >= min_tenure and region in ("all", row[0])]\n'
        "len(selected)",
        [],
    ),
    (
        "code",
        "by_region = {}\n"
        "for r in regions:\n"
        "    members = [row for row in selected if row[0] == r]\n"
        "    if members:\n"
        "        by_region[r] = round(sum(row[2] for row in members) / len(members), 3)\n"
        "churn_rate = round(sum(row[2] for row in selected) / max(len(selected), 1), 3)\n"
        "by_region, churn_rate",
        [],
    ),
    (
        "code",
        "try:  # recorded with the run when executed by `jupyter dsl run`\n"
        "    import jupyter_dsl\n\n"
        '    jupyter_dsl.record("churn_rate", churn_rate)\n'
        '    jupyter_dsl.record("churn_by_region", by_region)\n'
        "except (ImportError, AttributeError):\n"
        "    pass",
        [],
    ),
    (
        "markdown",
        "## West and south churn most\n\nWest and south churn most; customers in their first year churn "
        "about twice as often as the rest.\n\nanswers: 1",
        ["finding"],
    ),
]


@dataclass
class DemoReport:
    root: Path
    ask: int
    explore: int
    notebook: str
    branch: str
    steps: list[str] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)  # id, status, parameters, metrics

    def to_json(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "ask": self.ask,
            "explore": self.explore,
            "notebook": self.notebook,
            "branch": self.branch,
            "steps": self.steps,
            "runs": self.runs,
            "open": lab_command(self.root, self.notebook),  # None: JupyterLab is not installed
        }


def _display_name(kernel: str) -> str:
    """The installed kernelspec's own name, so JupyterLab has nothing to rewrite when it opens."""
    from jupyter_client.kernelspec import (
        KernelSpecManager,
        NoSuchKernel,
    )  # lazy: jupyter_client loads zmq and tornado, only where a kernel is needed

    try:
        return str(KernelSpecManager().get_kernel_spec(kernel).display_name)
    except NoSuchKernel:
        return "Python 3 (ipykernel)"


def demo_notebook() -> nbformat.NotebookNode:
    import nbformat  # lazy: its JSON-schema stack costs seconds at CLI start

    nb: nbformat.NotebookNode = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": _display_name("python3"),
        "language": "python",
    }
    # What ipykernel reports, so JupyterLab finds nothing to update (and to mark unsaved) on open.
    nb.metadata["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": platform.python_version(),
    }
    for kind, source, tags in _CELLS:
        cell = (
            nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        )
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


def make_demo(directory: Path, *, force: bool = False, runs: bool = True) -> DemoReport:
    """Build the demo project in ``directory`` (which must be empty or missing unless ``force``).

    ``directory`` becomes a git repository of its own even inside another one (a clone of this
    project, say): the enclosing repository is never committed to nor switched. Each commit holds
    exactly the files the demo wrote.
    """
    refuse_inside_run("create projects")
    root = directory.expanduser().resolve()
    if root.exists() and any(root.iterdir()) and not force:
        raise Conflict(
            f"{root} is not empty",
            hint=hints.hint(
                "Choose another directory, or add the demo to this one anyway.",
                hints.DEMO,
                directory=root,
                force=True,
            ),
        )
    steps: list[str] = []
    root.mkdir(parents=True, exist_ok=True)
    if not gitrepo.is_toplevel(root):
        gitrepo.init(root)
        steps.append(f"made {root} a git repository of its own")
    report = init_project(root, templates=True, force=force, name="churn-demo")
    steps.append(f"made a DSLP project in {root}: " + ", ".join(report.created or ["dsl.toml"]))
    (root / "notebooks").mkdir(exist_ok=True)
    (root / "configs").mkdir(exist_ok=True)
    import nbformat  # lazy: its JSON-schema stack costs seconds at CLI start

    nbformat.write(demo_notebook(), root / NOTEBOOK)
    (root / CONFIG).write_text("region: all\nmin_tenure: 12\n", encoding="utf-8")
    (root / "README.md").write_text(
        "# churn-demo\n\nA DSLP demo project made by `jupyter dsl demo`. Try `jupyter dsl status "
        f"{NOTEBOOK}` and `jupyter dsl issue list --state all`.\n",
        encoding="utf-8",
    )
    written = [*report.own_files, NOTEBOOK, CONFIG, "README.md"]
    _commit(root, written, "Start the churn project: DSLP config, issue templates, exploration notebook")
    steps.append(f"committed the project on {gitrepo.current_branch(root)}")

    project = find_project(root)
    tracker = open_tracker(project)
    ask = new_issue(tracker, IssueType.ASK, "Why do customers churn?", sections=ASK_SECTIONS)
    explore = new_issue(
        tracker, IssueType.EXPLORE, "Churn by region", ask=ask.number, sections=EXPLORE_SECTIONS
    )
    steps.append(f"created Ask #{ask.number} {ask.title!r} and Explore #{explore.number} {explore.title!r}")
    steps.append(_add_dataset(root, tracker, ask.number))
    link = links.link(tracker, root / NOTEBOOK, explore.number)
    steps.append(f"linked {NOTEBOOK} to Explore #{explore.number}")
    switched = links.switch_branch(project, tracker, root / NOTEBOOK, force=True)
    _commit(root, [NOTEBOOK], f"Link the exploration notebook to #{explore.number}")
    steps.append(f"switched to its branch {switched.branch} and committed the link")
    report_ = DemoReport(root, ask.number, explore.number, NOTEBOOK, link.branch, steps)
    if runs:
        _record_runs(report_)
        _record_batch(report_)
    _complete_exploration(report_)
    return report_


def demo_rows(count: int = 2000, seed: int = 7) -> str:
    """The demo's synthetic customers as CSV (region, tenure in months, churned 0/1)."""
    rng = random.Random(seed)  # noqa: S311 (synthetic demo data, not security)
    lines = ["region,tenure,churned"]
    for _ in range(count):
        region = rng.choice(["north", "south", "east", "west"])
        tenure = rng.randint(0, 60)
        base = {"north": 0.10, "south": 0.18, "east": 0.12, "west": 0.22}[region]
        churned = rng.random() < base * (1.6 if tenure < 12 else 0.8)
        lines.append(f"{region},{tenure},{int(churned)}")
    return "\n".join(lines) + "\n"


def _add_dataset(root: Path, tracker: Tracker, ask: int) -> str:
    """The customers dataset as version 1.0.0 in the data store, tied to its Data issue."""
    from ..data.add import add  # lazy: the demo drives the upper layers; project/ imports none at load

    data = new_issue(tracker, IssueType.DATA, "Get customers Dataset", ask=ask, sections=DATA_SECTIONS)
    (root / DATASET).parent.mkdir(parents=True, exist_ok=True)
    (root / DATASET).write_text(demo_rows(), encoding="utf-8")
    added = add(
        find_project(root),
        root / DATASET,
        name="customers",
        issue=data.number,
        tracker=tracker,
        git_config=_fallback_identity(root),
    )
    return f"added {DATASET} as customers@v{added.version} (Data #{data.number}, pointer {added.pointer})"


def _complete_exploration(report: DemoReport) -> None:
    """Mark the exploration complete: summary in docs/findings/, on the issue, issue closed, Ask updated."""
    from ..findings.complete import (
        plan_completion,
    )  # lazy: the demo drives the upper layers; project/ imports none of them at load

    project = find_project(report.root)
    plan = plan_completion(project, open_tracker(project), report.root / NOTEBOOK)
    for result in plan.run():
        report.steps.append(result.description)
    _commit(report.root, [NOTEBOOK], f"Mark the exploration #{report.explore} complete")


def _record_runs(report: DemoReport) -> None:
    """Two recorded runs of the notebook: the baseline config, and the west region on top of it."""
    from ..runs.service import (
        run_notebook,  # lazy: the demo drives the upper layers; project/ imports none of them at load
    )

    project = find_project(report.root)
    notebook = report.root / NOTEBOOK
    for overrides in ((), (("region", "west"),)):
        record = run_notebook(project, notebook, config_files=[report.root / CONFIG], overrides=overrides)
        report.runs.append(
            {
                "id": record.id,
                "status": record.status,
                "parameters": record.parameters,
                "metrics": record.metrics,
            }
        )
        shown = ", ".join(f"{k}={v}" for k, v in record.metrics.items())
        report.steps.append(
            f"ran it with {CONFIG}{' and region=west' if overrides else ''}: {record.status} ({shown})"
        )


def _record_batch(report: DemoReport) -> None:
    """A small batch: min_tenure 0, 6 and 12 for the baseline config, two runs at a time."""
    from ..batch.driver import BatchOptions, plan_batch  # lazy: the demo drives the upper layers
    from ..runs.service import run_batch  # lazy: the demo drives the upper layers

    grid = report.root / "configs" / "tenure_grid.yaml"
    grid.write_text("grid:\n  min_tenure: [0, 6, 12]\n", encoding="utf-8")
    _commit(report.root, ["configs/tenure_grid.yaml"], "Add the tenure grid")
    project = find_project(report.root)
    plan = plan_batch(project, report.root / NOTEBOOK, grid, config_files=[report.root / CONFIG])
    outcome = run_batch(plan, BatchOptions(workers=2))
    report.steps.append(
        f"ran a batch over configs/tenure_grid.yaml: {outcome.state.counts} (batch {plan.batch_id})"
    )


def _fallback_identity(root: Path) -> list[str]:
    """git ``-c`` arguments naming "jupyter-dsl demo" where git knows no user; none where it does."""
    if gitrepo.has_identity(root):
        return []
    return ["-c", "user.name=jupyter-dsl demo", "-c", "user.email=demo@jupyter-dsl.invalid"]


def _commit(root: Path, paths: list[str], message: str) -> None:
    """Commit the demo's own files, as the user if git knows them, else as "jupyter-dsl demo"."""
    gitrepo.commit_files(root, paths, message, config=_fallback_identity(root))
