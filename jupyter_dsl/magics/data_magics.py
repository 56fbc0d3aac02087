"""`%dsl data add|list|show|status|pull|push` and `%dsl models [NAME] | alias NAME@VERSION ALIAS`,
mirroring `jupyter dsl data` and `jupyter dsl models`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..data.sizes import human_size
from ..errors import InvalidInput
from .base import HelpText, MagicArgumentParser, MagicSession, add_json_argument, subcommand

ACTIONS = ("add", "list", "show", "status", "pull", "push")


def _data_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("target", nargs="?", default=None, help="PATH (add) or NAME[@VERSION].")
    parser.add_argument("--name", default=None)
    parser.add_argument("--issue", type=int, default=None)
    parser.add_argument("--version", dest="version", default=None)
    add_json_argument(parser)


@subcommand(
    "data", "dataset versions: %dsl data add PATH | list | show NAME | status | pull | push", _data_args
)
def data(session: MagicSession, args: argparse.Namespace) -> Any:
    project = session.project()
    if args.action == "add":
        from ..data.add import add  # lazy: the data stack loads only for %dsl data

        if not args.target:
            raise InvalidInput("%dsl data add PATH [--name NAME] [--issue N] [--version X.Y.Z]")
        path = Path(args.target).expanduser()
        path = path if path.is_absolute() else Path.cwd() / path
        tracker = session.tracker(project) if args.issue is not None else None
        result = add(project, path, name=args.name, issue=args.issue, version=args.version, tracker=tracker)
        if args.json:
            return result.to_json()
        said = (
            "unchanged, no new version"
            if result.unchanged
            else f"v{result.version}, pointer {result.pointer}"
        )
        return HelpText(f"{result.name}: {said} ({result.nfiles} files, {human_size(result.size)})")
    if args.action in ("list", "show"):
        from ..data.listing import datasets, show

        if args.action == "show":
            info = show(project, args.target or "")
            return info.to_json() if args.json else HelpText(f"{info.name}@v{info.version} md5 {info.md5}")
        found = datasets(project)
        if args.json:
            return [item.to_json() for item in found]
        lines = [f"{i.name}: {', '.join(v.version for v in i.versions) or 'untagged'}" for i in found]
        return HelpText("\n".join(lines) or "no datasets")
    if args.action == "status":
        from ..data.status import status

        items = status(project)
        if args.json:
            return [item.to_json() for item in items]
        lines = [f"{i.name} v{i.version}: {i.state} {' '.join(i.changed)}".rstrip() for i in items]
        return HelpText("\n".join(lines) or "no datasets")
    from ..data.pull import pull, push

    moved = pull(project, args.target) if args.action == "pull" else push(project)
    if args.json:
        return [item.to_json() for item in moved]
    return HelpText("\n".join(f"{item.name}@v{item.version}: {item.to_json()}" for item in moved))


def _models_args(parser: MagicArgumentParser) -> None:
    parser.add_argument("words", nargs="*", help="[NAME] | alias NAME@VERSION ALIAS")
    add_json_argument(parser)


@subcommand("models", "model versions: %dsl models [NAME] | alias NAME@VERSION ALIAS", _models_args)
def models(session: MagicSession, args: argparse.Namespace) -> Any:
    from ..models.listing import list_models, set_alias  # lazy: the models stack loads only here

    project = session.project()
    if args.words[:1] == ["alias"]:
        if len(args.words) != 3:
            raise InvalidInput("%dsl models alias NAME@VERSION ALIAS")
        set_alias(project, args.words[1], args.words[2])
        return HelpText(f"{args.words[1].partition('@')[0]}@{args.words[2]} -> {args.words[1]}")
    rows = list_models(project, args.words[0] if args.words else None)
    if args.json:
        return rows
    lines = [f"{r['name']}@v{r['version']} {r['format']} run {r['run_id'] or '-'}" for r in rows]
    return HelpText("\n".join(lines) or "no models")
