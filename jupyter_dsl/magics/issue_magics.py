"""`%dsl status | link | unlink | new | issues | show | branch`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..dslp.issue_types import IssueType
from ..notebook import document, links
from ..trackers import Issue, IssueQuery
from .base import (
    HelpText,
    MagicArgumentParser,
    MagicSession,
    add_json_argument,
    add_notebook_argument,
    add_write_argument,
    issue_number,
    subcommand,
)
from .frontend import edits_in_editor, send_edit, show_link
from .views import IssueList, StatusView

TYPE_NAMES = [t.value for t in IssueType]


def _status_args(parser: MagicArgumentParser) -> None:
    add_notebook_argument(parser)
    add_json_argument(parser)


@subcommand("status", "this notebook's issue, its Ask and branch", _status_args)
def status(session: MagicSession, args: argparse.Namespace) -> Any:
    path = session.notebook_or(args.notebook)
    project = session.project(path.parent)
    tracker = session.tracker(project)
    state = links.status(project, tracker, path)
    if args.json:
        return {**state.to_json(), "offline_as_of": tracker.offline_as_of}
    return StatusView(state, tracker.offline_as_of)


def _link_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("number", type=issue_number("the issue number"), help="The issue number (#N or N).")
    add_notebook_argument(parser)
    add_write_argument(parser)


def _apply_link(path: Path, link: document.NotebookLink | None, in_editor: bool) -> None:
    """Send the edit to the editor showing the notebook, or write it to the file."""
    action = "link" if link is not None else "unlink"
    if in_editor:
        send_edit(action, link)
    elif link is not None:
        document.set_link(path, link)
    else:
        document.remove_link(path)
    if link is not None:
        text = f"linked {path.name} → #{link.issue.number} {link.issue.type or ''}: {link.issue.title}"
    else:
        text = f"unlinked {path.name}"
    if in_editor:
        text += " (in the open notebook: save it to keep the change)"
    show_link(action, link, text)


@subcommand("link", "link this notebook to issue N", _link_args)
def link(session: MagicSession, args: argparse.Namespace) -> Any:
    path = session.notebook_or(args.notebook)
    tracker = session.tracker(session.project(path.parent))
    previous = document.get_link(path)
    new = links.prepare_link(tracker, tracker.get(args.number), previous)
    _apply_link(path, new, edits_in_editor(path, session.current_notebook(), args.write))
    return None


def _unlink_args(parser: MagicArgumentParser) -> None:
    add_notebook_argument(parser)
    add_write_argument(parser)


@subcommand("unlink", "remove this notebook's link", _unlink_args)
def unlink(session: MagicSession, args: argparse.Namespace) -> Any:
    path = session.notebook_or(args.notebook)
    document.get_link(path)  # validates the notebook
    _apply_link(path, None, edits_in_editor(path, session.current_notebook(), args.write))
    return None


def _new_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("type", type=str, help="|".join(TYPE_NAMES))
    parser.add_argument("title", help='The title, in quotes: "Churn by region".')
    parser.add_argument("--ask", type=issue_number("--ask"), default=None, help="The Ask it answers to.")
    parser.add_argument(
        "--experiment", type=issue_number("--experiment"), default=None, help="A Model's Experiment."
    )
    parser.add_argument("--label", action="append", default=[], help="Another label (repeatable).")
    parser.add_argument("--link", action="store_true", help="Link this notebook to the new issue.")
    add_notebook_argument(parser)
    add_write_argument(parser)
    add_json_argument(parser)


@subcommand("new", 'create an issue: %dsl new TYPE "title" [--ask N] [--link]', _new_args)
def new(session: MagicSession, args: argparse.Namespace) -> Any:
    near = session.notebook_or(args.notebook) if (args.link or args.notebook) else None
    project = session.project(near.parent if near else None)
    tracker = session.tracker(project)
    in_editor = False
    if args.link and near is not None:  # decided before anything is written
        in_editor = edits_in_editor(near, session.current_notebook(), args.write)
    created, new_link = links.new_issue_and_link(  # checks the notebook before creating the issue
        tracker,
        near if args.link else None,
        IssueType.parse(args.type),
        args.title,
        ask=args.ask,
        experiment=args.experiment,
        labels=tuple(args.label),
        write=False,
    )
    if new_link is not None and near is not None:
        _apply_link(near, new_link, in_editor)
    if args.json:
        return created.to_json()
    return IssueList([created], heading="created")


def _issues_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("--type", default=None, help="|".join(TYPE_NAMES))
    parser.add_argument("--state", choices=["open", "closed", "all"], default="open")
    parser.add_argument("--label", action="append", default=[], help="Only issues with this label.")
    add_json_argument(parser)


@subcommand("issues", "list the project's issues (--type, --state, --label)", _issues_args)
def issues(session: MagicSession, args: argparse.Namespace) -> Any:
    project = session.project()
    query = IssueQuery(
        type=IssueType.parse(args.type) if args.type else None, state=args.state, labels=tuple(args.label)
    )
    tracker = session.tracker(project)
    items: list[Issue] = tracker.list(query)
    return (
        [item.to_json() for item in items]
        if args.json
        else IssueList(items, offline_as_of=tracker.offline_as_of)
    )


def _show_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("number", type=issue_number("the issue number"), help="The issue number (#N or N).")
    add_json_argument(parser)


@subcommand("show", "show issue N", _show_args)
def show(session: MagicSession, args: argparse.Namespace) -> Any:
    project = session.project()
    tracker = session.tracker(project)
    item = tracker.get(args.number)
    return (
        item.to_json() if args.json else IssueList([item], bodies=True, offline_as_of=tracker.offline_as_of)
    )


def _branch_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="Switch even with uncommitted changes.")
    add_notebook_argument(parser)


@subcommand("branch", "create or switch to this notebook's DSLP branch", _branch_args)
def branch(session: MagicSession, args: argparse.Namespace) -> Any:
    path = session.notebook_or(args.notebook)
    project = session.project(path.parent)
    result = links.switch_branch(project, session.tracker(project), path, force=args.force)
    verb = (
        "created and switched to"
        if result.created
        else ("already on" if result.previous == result.branch else "switched to")
    )
    return HelpText(f"{verb} {result.branch}" + (f"\n{result.stash_note}" if result.stash_note else ""))
