"""`%dsl status | link | unlink | branch | params`: this notebook, its link to an issue, its branch and its
parameters cell."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..notebook import document, links, parameters
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
from .hints import magic_hint
from .views import StatusView, TableView


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


def apply_link(path: Path, link: document.NotebookLink | None, in_editor: bool) -> None:
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
    apply_link(path, new, edits_in_editor(path, session.current_notebook(), args.write))
    return None


def _unlink_args(parser: MagicArgumentParser) -> None:
    add_notebook_argument(parser)
    add_write_argument(parser)


@subcommand("unlink", "remove this notebook's link", _unlink_args)
def unlink(session: MagicSession, args: argparse.Namespace) -> Any:
    path = session.notebook_or(args.notebook)
    document.get_link(path)  # validates the notebook
    apply_link(path, None, edits_in_editor(path, session.current_notebook(), args.write))
    return None


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


def _params_args(parser: MagicArgumentParser) -> None:
    add_notebook_argument(parser)
    add_json_argument(parser)


@subcommand("params", "the parameters cell of this notebook: names, types, defaults, help", _params_args)
def params(session: MagicSession, args: argparse.Namespace) -> Any:
    cell = parameters.inspect(session.notebook_or(args.notebook))
    if args.json:
        return cell.to_json()
    if cell.cell_index is None:
        said = magic_hint(parameters.no_cell_hint(cell), session.current_notebook()) or ""
        return TableView(f"{cell.path.name} has no parameters cell", [], [], said)
    rows = [
        [p.name, p.type + (" or None" if p.optional and p.type != "any" else ""), p.default, p.help]
        for p in cell.parameters
    ]
    return TableView(
        f"{cell.path.name}: parameters cell is cell {cell.cell_index + 1}",
        ["name", "type", "default", "help"],
        rows,
        "it assigns no parameters papermill can read",
        "; ".join(cell.notes),
    )
