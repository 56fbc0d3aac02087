"""`%dsl pr` and `%dsl labels`: the DSLP flow's forge side, from a notebook."""

from __future__ import annotations

import argparse
from typing import Any

from ..issues.labels_sync import sync_labels
from ..issues.pulls import open_pull
from .base import (
    HelpText,
    MagicArgumentParser,
    MagicSession,
    add_json_argument,
    add_notebook_argument,
    subcommand,
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
