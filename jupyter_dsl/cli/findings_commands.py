"""`jupyter dsl findings | goal | complete`: export a summary, set goals, end an issue the DSLP way."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import InvalidInput
from ..findings.complete import CompletionPlan, StepResult, plan_completion
from ..findings.export import export_summary
from ..findings.goals import add_goal, goals_of, tick_goal
from ..notebook.document import check_notebook_path
from .base import cli, console, emit, json_option, open_project_tracker, resolve_path


def _notebook(path: str) -> Path:
    return check_notebook_path(resolve_path(path).resolve())


@cli.command("findings")
@click.argument("notebook")
@click.option("--to", "to", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder to write into.")
@click.option("--run", "run_id", help="Take the outputs from this recorded run's output notebook.")
@json_option
def findings(notebook: str, to: str, out: Path | None, run_id: str | None, as_json: bool) -> None:
    """Export NOTEBOOK's findings summary (Markdown with its images beside it, or one HTML file).

    Default folder: the project's [findings] dir, else the notebook's folder.
    """
    path = _notebook(notebook)
    exported = export_summary(path, to=to, out=resolve_path(out) if out else None, run_id=run_id)
    summary = exported.summary

    def human() -> None:
        count = len(summary.insights)
        said = f"{count} insight(s)" if count else "no findings in this notebook (the rest is rendered)"
        console.print(f"wrote {exported.written[0]}: {said}", markup=False)
        for extra in exported.written[1:]:
            console.print(f"  {extra}", markup=False, style="dim")

    payload = {
        "written": [str(p) for p in exported.written],
        "insights": [i.title for i in summary.insights],
        "tldr": summary.tldr,
    }
    emit(as_json, payload, human)


@cli.command("goal")
@click.argument("notebook")
@click.argument("question", required=False)
@click.option("--done", "done", type=int, metavar="N", help="Tick goal N (counted from 1).")
@json_option
def goal(notebook: str, question: str | None, done: int | None, as_json: bool) -> None:
    """Add QUESTION to the Goals of NOTEBOOK's Explore issue, or tick goal N with --done N."""
    if (question is None) == (done is None):
        raise InvalidInput(
            "give a QUESTION to add, or --done N to tick goal N", hint='jupyter dsl goal NB "q"'
        )
    path = _notebook(notebook)
    _, tracker = open_project_tracker(path.parent)
    issue = add_goal(tracker, path, question) if question is not None else tick_goal(tracker, path, done or 0)
    items = goals_of(issue)

    def human() -> None:
        console.print(f"#{issue.number} goals:", markup=False)
        for item in items:
            console.print(f"  {item.number}. [{'x' if item.done else ' '}] {item.text}", markup=False)

    emit(as_json, {"issue": issue.number, "goals": [i.__dict__ for i in items]}, human)


def print_results(plan: CompletionPlan, results: list[StepResult], dry_run: bool) -> None:
    for result in results:
        console.print(f"{result.mark} {result.description} ({result.state})", markup=False)
        if dry_run and result.detail:
            console.print(result.detail.rstrip("\n"), markup=False, style="dim")
            console.rule(style="dim")
    for note in plan.notes:
        console.print(f"  note: {note}", markup=False, style="dim")


@cli.command("complete")
@click.argument("notebook")
@click.option("--dry-run", is_flag=True, help="Print what would be written, posted, closed; change nothing.")
@click.option("--outcome", type=click.Choice(["succeeded", "failed"]), help="An Experiment's outcome.")
@click.option("--no-promote", is_flag=True, help="A succeeded Experiment opens no Model issue.")
@click.option("--yes", "-y", is_flag=True, help="Do it without asking.")
@json_option
def complete(
    notebook: str, dry_run: bool, outcome: str | None, no_promote: bool, yes: bool, as_json: bool
) -> None:
    """Mark NOTEBOOK's Explore or Experiment issue complete, the DSLP way (see --dry-run)."""
    path = _notebook(notebook)
    project, tracker = open_project_tracker(path.parent)
    plan = plan_completion(project, tracker, path, outcome=outcome, promote=not no_promote, shown=notebook)
    if not dry_run and not yes and as_json:
        raise InvalidInput("complete --json changes things without asking: pass --yes (or --dry-run)")
    if not dry_run and not yes:
        preview = plan.complete(dry_run=True)
        if not preview.pending:
            print_results(plan, preview.steps, False)
            console.print(f"#{plan.issue.number} is already complete", markup=False)
            return
        for result in preview.pending:
            console.print(f"→ {result.description}", markup=False)
        click.confirm("Do this?", abort=True)
    try:
        done = plan.complete(dry_run=dry_run)
    except Exception:
        if not as_json:
            print_results(plan, getattr(plan, "results", []), False)
            console.print("stopped: run `jupyter dsl complete` again to finish", markup=False)
        raise
    emit(as_json, done.to_json(), lambda: print_results(plan, done.steps, dry_run))
