"""`%dsl story ASK`: write the story of an Ask (as `jupyter dsl story` does)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..story.export import export_story
from .base import HelpText, MagicArgumentParser, MagicSession, add_json_argument, issue_number, subcommand


def _story_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("ask", type=issue_number("the Ask's number"), help="The Ask (#N or N).")
    parser.add_argument("--to", choices=["html", "md"], default="html")
    parser.add_argument("--out", default=None, help="Folder to write into (default: docs/story).")
    add_json_argument(parser)


@subcommand("story", "write the story of an Ask: %dsl story N [--to html|md] [--out DIR]", _story_args)
def story(session: MagicSession, args: argparse.Namespace) -> Any:
    project = session.project()
    out = Path(args.out).expanduser().resolve() if args.out else None
    written = export_story(project, session.tracker(project), args.ask, to=args.to, out=out)
    if args.json:
        return written.to_json()
    work = len(written.story.work)
    return HelpText(f"wrote {written.written[0]} (Ask #{args.ask}, {work} linked issue(s))")
