"""`%dsl init`: make a folder a DSLP project from a notebook, as `jupyter dsl init` does."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..project.scaffold import init_project
from .base import HelpText, MagicArgumentParser, MagicSession, add_json_argument, subcommand


def _init_args(parser: MagicArgumentParser) -> None:
    parser.add_argument(
        "directory", nargs="?", help="The folder (default: this notebook's; relative to the kernel's folder)."
    )
    templates = "Also write the DSLP issue templates to .github/ISSUE_TEMPLATE/."
    parser.add_argument("--templates", action="store_true", help=templates)
    add_json_argument(parser)


@subcommand("init", "make this notebook's folder (or DIR) a DSLP project [--templates]", _init_args)
def init(session: MagicSession, args: argparse.Namespace) -> Any:
    if args.directory:
        folder = Path(args.directory).expanduser()
    else:
        notebook = session.current_notebook()
        folder = notebook.parent if notebook is not None else Path.cwd()
    report = init_project(folder, templates=args.templates, commit=True)
    if args.json:
        return report.to_json()
    return HelpText("\n".join(report.lines()))
