"""`%dsl sync`: share the local issues through git, as `jupyter dsl sync` does."""

from __future__ import annotations

import argparse
from typing import Any

from ..issues.sync import sync_project
from .base import HelpText, MagicArgumentParser, MagicSession, add_json_argument, subcommand


def _sync_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("--remote", help="The git remote (default: [branches] remote, or the only one).")
    parser.add_argument("--dry-run", action="store_true", help="Only say what would come in and go out.")
    add_json_argument(parser)


@subcommand(
    "sync", "fetch, merge and push the local issues with a git remote [--remote NAME] [--dry-run]", _sync_args
)
def sync(session: MagicSession, args: argparse.Namespace) -> Any:
    result = sync_project(session.project(), args.remote, dry_run=args.dry_run)
    if args.json:
        return result.to_json()
    return HelpText("\n".join(result.issues.lines()))
