"""`%dsl tracker export --to github|gitlab [--dry-run] [--write]`: move the local issues to a forge."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import Conflict
from ..issues.export import FORGES, export_tracker, open_target
from .base import HelpText, MagicArgumentParser, MagicSession, add_json_argument, subcommand


def _tracker_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("action", choices=["export"], help="export: move the local issues to a forge")
    parser.add_argument("--to", choices=FORGES, required=True, help="The forge [tracker] names.")
    parser.add_argument("--dry-run", action="store_true", help="Only say what would be done.")
    parser.add_argument(
        "--write",
        action="store_true",
        help="Rewrite the linked notebooks' files even though an editor may have them open.",
    )
    add_json_argument(parser)


@subcommand(
    "tracker",
    "tracker export --to github|gitlab [--dry-run]: move the local issues to a forge",
    _tracker_args,
)
def tracker(session: MagicSession, args: argparse.Namespace) -> Any:
    project = session.project()
    target = open_target(project, args.to, dry_run=args.dry_run)
    try:
        result = export_tracker(project, session.tracker(project), target, args.to, dry_run=True)
        if not args.dry_run:
            if result.notebooks and not args.write:  # the files of open notebooks: not behind an editor
                raise Conflict(
                    f"the export rewrites the link of {len(result.notebooks)} notebook file(s) "
                    f"({', '.join(result.notebooks)}), which an editor may have open: nothing was exported",
                    hint="Run it from a terminal, or add --write and then choose Revert in the editors "
                    "of those notebooks.",
                )
            result = export_tracker(project, session.tracker(project), target, args.to)
            session.forget_tracker()  # dsl.toml names the forge now
    finally:
        close = getattr(target, "close_connection", None)
        if close is not None:
            close()
    return result.to_json() if args.json else HelpText("\n".join(result.report()))
