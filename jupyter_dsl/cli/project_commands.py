"""`jupyter dsl init | demo` and the project's status (`status` without a notebook): the project."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..issues.labels_sync import sync_labels
from ..project.demo import make_demo
from ..project.lab_program import INSTALL_HINT, lab_argv, lab_command, require_lab
from ..project.scaffold import init_project
from ..project.settings import CONFIG_NAME, find_project
from ..project.summary import summarize
from ..trackers import open_tracker
from .base import (
    cli,
    console,
    emit,
    json_option,
    open_project_tracker,
    resolve_path,
    show_offline,
)
from .issue_commands import print_label_changes


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--templates", is_flag=True, help="Also write the six DSLP issue templates to .github/ISSUE_TEMPLATE/."
)
@click.option("--force", is_flag=True, help="Overwrite files that exist and differ.")
@click.option("--no-git", is_flag=True, help="Do not run `git init` when DIRECTORY is not a repository.")
@click.option("--labels", "sync", is_flag=True, help="Also create or update the DSLP labels on the tracker.")
@json_option
def init(
    directory: Path | None, templates: bool, force: bool, no_git: bool, sync: bool, as_json: bool
) -> None:
    """Make DIRECTORY (default: here) a DSLP project: dsl.toml, .gitignore entries, templates.

    Never overwrites a file of yours without --force; running it twice changes nothing. Commits only in
    a repository it made, and only the files it wrote.
    """
    root = resolve_path(directory or ".")
    # a forge named by an existing dsl.toml is opened first: a missing token fails before init writes
    tracker = open_tracker(find_project(root)) if sync and (root / CONFIG_NAME).is_file() else None
    report = init_project(root, templates=templates, force=force, git=not no_git, commit=True)
    project = find_project(report.root)
    forge = project.settings.tracker.kind != "local"
    changes = sync_labels(tracker or open_tracker(project)) if sync else None

    def human() -> None:
        for line in report.lines():
            console.print(line, style="dim" if line.startswith("commit them:") else None, markup=False)
        if changes is not None:
            print_label_changes(changes)
        elif forge:
            kind = project.settings.tracker.kind
            console.print(f"the {kind} tracker needs the DSLP labels: jupyter dsl labels sync", markup=False)

    payload = {
        **report.to_json(),
        "labels": [c.to_json() for c in changes] if changes is not None else None,
        "labels_suggested": forge and changes is None,
    }
    emit(as_json, payload, human)


@cli.command()
@click.argument(
    "directory", required=False, default="dsl-demo", type=click.Path(file_okay=False, path_type=Path)
)
@click.option("--force", is_flag=True, help="Build the demo even if DIRECTORY is not empty.")
@click.option("--lab", is_flag=True, help="Open it in JupyterLab afterwards.")
@click.option("--no-runs", is_flag=True, help="Do not execute the notebook (no recorded runs).")
@json_option
def demo(directory: Path, force: bool, lab: bool, no_runs: bool, as_json: bool) -> None:
    """Make a demo DSLP project in DIRECTORY (default: ./dsl-demo) and say how to open it."""
    program = require_lab() if lab else None  # before the demo is built: a failing command changes nothing
    report = make_demo(resolve_path(directory), force=force, runs=not no_runs)

    def human() -> None:
        for step in report.steps:
            console.print(f"• {step}", markup=False)
        command = lab_command(report.root, report.notebook)
        console.print("\nOpen it in JupyterLab:", style="bold")
        console.print(f"  {command or 'JupyterLab is not installed here: ' + INSTALL_HINT}", markup=False)
        console.print("Or look around from here:", style="bold")
        console.print(f"  cd {report.root} && jupyter dsl status {report.notebook}", markup=False)
        if report.runs:
            console.print(f"  cd {report.root} && jupyter dsl runs", markup=False)
        console.print("The story of the Ask, in one page:", style="bold")
        console.print(f"  cd {report.root} && jupyter dsl story {report.ask}", markup=False)

    emit(as_json, report.to_json(), human)
    if program is not None:
        os.execv(program, lab_argv([program], report.root, report.notebook))  # noqa: S606


def project_status(as_json: bool) -> None:
    """`jupyter dsl status` without a notebook: the project's state."""
    project, tracker = open_project_tracker()
    summary = summarize(project, tracker)
    counts, linked = summary.open_issues or {}, summary.notebooks or []

    def human() -> None:
        show_offline(tracker)
        console.print(f"project  {project.root}", markup=False)
        console.print(f"config   {project.config_path or '(none: defaults)'}", markup=False)
        console.print(f"tracker  {project.settings.tracker.kind}", markup=False)
        on = f" (issue #{summary.branch_issue})" if summary.branch_issue is not None else ""
        console.print(f"branch   {summary.current_branch or '-'}{on}", markup=False)
        text = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "none"
        console.print(f"open     {text}", markup=False)
        for path, link in linked:
            console.print(
                f"  {path} → #{link.issue.number} {link.issue.type or ''} ({link.status})", markup=False
            )

    emit(as_json, summary.to_json(), human)
