"""`%dsl goal | findings | complete` and the `%%finding TITLE` cell magic."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..findings.capture import marker
from ..findings.complete import plan_completion
from ..findings.export import export_summary
from ..findings.goals import add_goal, goals_of, tick_goal
from ..notebook import document
from ..notebook.document import NotebookLink
from .base import (
    HelpText,
    MagicArgumentParser,
    MagicSession,
    add_json_argument,
    add_notebook_argument,
    add_write_argument,
    split_line,
    subcommand,
)
from .frontend import edits_in_editor, send_edit


def _goal_args(parser: MagicArgumentParser) -> None:
    parser.add_argument(
        "question", nargs="?", default=None, help='The question, in quotes: "Does tenure matter?"'
    )
    parser.add_argument("--done", type=int, default=None, metavar="N", help="Tick goal N (from 1).")
    add_notebook_argument(parser)


@subcommand("goal", 'add a goal to this exploration: %dsl goal "question" | --done N', _goal_args)
def goal(session: MagicSession, args: argparse.Namespace) -> Any:
    if (args.question is None) == (args.done is None):
        raise InvalidInput('give a "question" to add, or --done N to tick goal N')
    path = session.notebook_or(args.notebook)
    tracker = session.tracker(session.project(path.parent))
    issue = add_goal(tracker, path, args.question) if args.question else tick_goal(tracker, path, args.done)
    lines = [f"#{issue.number} goals:"]
    lines += [f"  {g.number}. [{'x' if g.done else ' '}] {g.text}" for g in goals_of(issue)]
    return HelpText("\n".join(lines))


def _findings_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("--to", choices=["md", "html"], default="md")
    parser.add_argument("--out", default=None, help="Folder to write into (default: [findings] dir).")
    parser.add_argument("--run", dest="run_id", default=None, help="Use this recorded run's outputs.")
    add_notebook_argument(parser)
    add_json_argument(parser)


@subcommand("findings", "export this notebook's findings summary (saved version)", _findings_args)
def findings(session: MagicSession, args: argparse.Namespace) -> Any:
    path = session.notebook_or(args.notebook)
    out = Path(args.out).expanduser().resolve() if args.out else None
    exported = export_summary(path, to=args.to, out=out, run_id=args.run_id)
    if args.json:
        return {"written": [str(p) for p in exported.written], "tldr": exported.summary.tldr}
    count = len(exported.summary.insights)
    return HelpText(f"wrote {exported.written[0]} ({count} insight(s); from the saved notebook)")


def _complete_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="Show what would happen; change nothing.")
    parser.add_argument("--outcome", choices=["succeeded", "failed"], default=None)
    parser.add_argument("--no-promote", action="store_true", help="Open no Model issue.")
    parser.add_argument("--yes", action="store_true", help="Accepted for symmetry with the CLI.")
    add_notebook_argument(parser)
    add_write_argument(parser)
    add_json_argument(parser)


@subcommand("complete", "mark this notebook's Explore/Experiment complete (see --dry-run)", _complete_args)
def complete(session: MagicSession, args: argparse.Namespace) -> Any:
    path = session.notebook_or(args.notebook)
    project = session.project(path.parent)

    # decided before anything is written: the open document takes the status (as `%dsl link` does)
    in_editor = not args.dry_run and edits_in_editor(path, session.current_notebook(), args.write)

    def apply_link(target: Path, link: NotebookLink) -> None:
        if in_editor and target == path:
            send_edit("link", link)
            print(f"{target.name}: complete (in the open notebook: save it to keep it)")
        else:
            document.set_link(target, link)

    plan = plan_completion(
        project,
        session.tracker(project),
        path,
        outcome=args.outcome,
        promote=not args.no_promote,
        apply_link=apply_link,
    )
    done = plan.complete(dry_run=args.dry_run)
    if args.json:
        return done.to_json()
    lines = [f"{r.mark} {r.description} ({r.state})" for r in done.steps]
    for result in done.steps:
        if args.dry_run and result.detail:
            lines += ["", f"--- {result.description} ---", result.detail.rstrip("\n")]
    lines += [f"  note: {note}" for note in plan.notes]
    return HelpText("\n".join(lines))


def finding_cell(shell: Any, line: str, cell: str) -> None:
    """``%%finding TITLE [--answers N]``: the cell's outputs become the artifact of a finding."""
    argv = split_line(line)
    answers = None
    if "--answers" in argv:
        at = argv.index("--answers")
        if at + 1 >= len(argv):
            raise InvalidInput("%%finding: --answers needs a goal number or text")
        answers = argv[at + 1]
        del argv[at : at + 2]
    title = " ".join(argv).strip()
    if not title:
        raise InvalidInput("%%finding needs a title: %%finding West churns most [--answers 1]")
    from IPython.display import display  # lazy: only inside a kernel

    display(marker(title, artifacts="rest", answers=answers), raw=True)
    shell.run_cell(cell)
