"""`jupyter dsl ...`: parse arguments, call the core, print. Each module adds its commands to ``cli``."""

from __future__ import annotations

import sys

# nbformat imports jsonschema, which builds an IRI grammar at import time when rfc3987-syntax is
# installed (1.5 s on every command here). Notebook schemas use no IRI formats, so the CLI skips it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from .base import cli, run  # noqa: E402

__all__ = ["cli", "load_commands", "main"]

FAST_COMMANDS = {"run": "run_commands"}  # commands whose own module is all they load (start-up time)


def load_commands() -> None:
    """Import every command module (each registers its commands on ``cli``)."""
    from . import (  # noqa: F401
        batch_commands,
        data_commands,
        findings_commands,
        issue_commands,
        model_commands,
        notebook_commands,
        project_commands,
        run_commands,
        story_commands,
        sync_commands,
        tracker_commands,
    )


def _command(args: list[str]) -> str | None:
    """The subcommand named on the command line (after the group's own -C / --directory)."""
    rest = iter(args)
    for word in rest:
        if word in ("-C", "--directory"):
            next(rest, None)
        elif not word.startswith("-"):
            return word
    return None


def main() -> None:
    module = FAST_COMMANDS.get(_command(sys.argv[1:]) or "")
    if module is not None:
        __import__(f"{__name__}.{module}")  # only its module; any other command loads them all
    sys.exit(run())
