"""The part of the browser tests' project that story.spec.ts opens: an Ask whose text is hostile, an
Explore with a committed findings summary and a notebook linked to it, an Experiment with a notebook
linked to it and two real runs (recorded through the core, with their output notebooks).

``make_project.py`` calls ``add_story`` before its commit and ``record_story_runs`` after it, and
puts what they return under ``"story"`` in what it prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.notebook.links import link
from jupyter_dsl.project.settings import Project
from jupyter_dsl.runs.service import run_notebook
from jupyter_dsl.trackers import Tracker

# Inert if the page escapes or sanitizes it; sets window.__storyPwned if anything runs it.
HOSTILE = '<img src=x onerror="window.__storyPwned=1"><script>window.__storyPwned=2</script>'
EXPLORE_NOTEBOOK = "story-explore.ipynb"
EXPERIMENT_NOTEBOOK = "story-experiment.ipynb"
RUN_PARAMETERS = (("alpha", "0.1"), ("alpha", "0.4"))


def _findings(number: int, title: str) -> str:
    """A committed findings summary in the shape `jupyter dsl complete` writes."""
    return (
        f"# {title}\n\n**TL;DR:** churn is highest on the monthly plan\n\n"
        "## Goals\n\n- [x] churn rate per plan\n\n"
        "## What was discovered during this exploration?\n\n"
        "### Insight 1: Monthly customers leave twice as often\n\n"
        f"Seen on every region. {HOSTILE}\n\n"
        f"## Provenance\n\n- Notebook: `{EXPLORE_NOTEBOOK}`\n"
    )


def add_story(root: Path, tracker: Tracker, notebook: nbformat.NotebookNode) -> dict[str, Any]:
    """The issues, notebooks and findings file (written, not yet committed)."""
    ask = new_issue(
        tracker,
        IssueType.ASK,
        f"Which customers leave? {HOSTILE}",
        sections={"Problem Statement": f"Customers leave. {HOSTILE}\n\n[click](javascript:alert(1))"},
    )
    explore = new_issue(tracker, IssueType.EXPLORE, "Churn by plan", ask=ask.number)
    experiment = new_issue(
        tracker, IssueType.EXPERIMENT, "Tune alpha", ask=ask.number, sections={"Metrics": "score"}
    )
    findings = f"docs/findings/{explore.number}-churn-by-plan.md"
    (root / findings).parent.mkdir(parents=True, exist_ok=True)
    (root / findings).write_text(_findings(explore.number, explore.title), encoding="utf-8")
    nbformat.write(notebook, root / EXPLORE_NOTEBOOK)
    link(tracker, root / EXPLORE_NOTEBOOK, explore.number)
    nbformat.write(notebook, root / EXPERIMENT_NOTEBOOK)
    link(tracker, root / EXPERIMENT_NOTEBOOK, experiment.number)
    return {
        "ask": ask.number,
        "explore": explore.number,
        "experiment": experiment.number,
        "explore_notebook": EXPLORE_NOTEBOOK,
        "experiment_notebook": EXPERIMENT_NOTEBOOK,
        "findings": findings,
    }


def record_story_runs(project: Project, made: dict[str, Any]) -> dict[str, Any]:
    """Two real runs of the Experiment's notebook (after the commit, as a user runs them)."""
    runs = [
        run_notebook(project, project.root / EXPERIMENT_NOTEBOOK, overrides=[values])
        for values in RUN_PARAMETERS
    ]
    return {**made, "runs": [run.id for run in runs]}
