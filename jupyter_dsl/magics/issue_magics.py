"""`%dsl new | issues | show | pr | labels`: DSLP issues on any tracker, from a notebook."""

from __future__ import annotations

import argparse
from typing import Any

from ..dslp.issue_types import IssueType
from ..issues.labels_sync import sync_labels
from ..issues.pulls import open_pull
from ..notebook import links
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
from .frontend import edits_in_editor
from .notebook_magics import apply_link
from .views import IssueList

TYPE_NAMES = [t.value for t in IssueType]


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
        apply_link(near, new_link, in_editor)
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


def _pr_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("--draft", action="store_true", help="Open it as a draft.")
    add_notebook_argument(parser)
    add_json_argument(parser)


@subcommand("pr", "push this notebook's branch and open its pull request [--draft]", _pr_args)
def pr(session: MagicSession, args: argparse.Namespace) -> Any:
    path = session.notebook_or(args.notebook)
    project = session.project(path.parent)
    result = open_pull(project, session.tracker(project), path, draft=args.draft)
    if args.json:
        return result.to_json()
    verb = "opened" if result.created else "reused"
    lines = [
        f"pushed {result.branch} to {result.remote}",
        f"{verb} pull request #{result.pull.number} for #{result.issue.number}",
    ]
    return HelpText("\n".join([*lines, result.pull.url] if result.pull.url else lines))


def _labels_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("action", choices=["sync"], help="sync: create or update the DSLP labels")
    add_json_argument(parser)


@subcommand("labels", "labels sync: create or update the eleven DSLP labels", _labels_args)
def labels(session: MagicSession, args: argparse.Namespace) -> Any:
    project = session.project()
    changes = sync_labels(session.tracker(project))
    if args.json:
        return [change.to_json() for change in changes]
    return HelpText("\n".join(f"{change.action:<9} {change.label.name}" for change in changes))
