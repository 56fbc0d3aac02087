"""How the CLI words the core's hints: the sentence, then the `jupyter dsl` command that does it."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from pathlib import Path

from .. import hints
from ..hints import Action, ArgValue, Hint

# what a placeholder says when the user has to choose the value
PLACEHOLDERS = {
    "notebook": "NOTEBOOK",
    "directory": "DIR",
    "issue": "N",
    "cell": "N",
    "kernel": "NAME",
    "grid": "GRID.yaml",
    "scheduler": "tcp://HOST:8786",
    "outcome": "succeeded|failed",
    "batch": "ID",
    "run": "ID",
    "state": "all",
}


def shown_path(text: str) -> str:
    """A path as the user types it here: relative to the current directory when it is inside it."""
    path = Path(text)
    if path.is_absolute():
        try:
            relative = os.path.relpath(path)
        except ValueError:  # another drive (Windows)
            relative = text
        if not relative.startswith(".."):
            return relative
    return text


class Words:
    """One action's arguments as command-line words."""

    def __init__(self, act: Action) -> None:
        self.act = act

    def __call__(self, key: str) -> str:
        value: ArgValue = self.act.get(key)
        if value is None:
            return PLACEHOLDERS.get(key, key.upper())
        if key in ("notebook", "directory", "grid") and isinstance(value, str):
            return shlex.quote(shown_path(value))
        return shlex.quote(str(value))

    def option(self, key: str, flag: str) -> str:
        """`` --flag VALUE`` when the action names the argument (a True flag alone), else ""."""
        if key not in self.act.args or self.act.get(key) is False:
            return ""
        return f" {flag}" if self.act.get(key) is True else f" {flag} {self(key)}"


COMMANDS: dict[str, Callable[[Words], str]] = {
    hints.LINK: lambda w: f"jupyter dsl link {w('notebook')} {w('issue')}",
    hints.BRANCH: lambda w: f"jupyter dsl branch {w('notebook')}{w.option('force', '--force')}",
    hints.INIT: lambda w: f"jupyter dsl init {w('directory')}",
    hints.DEMO: lambda w: f"jupyter dsl demo {w('directory')}{w.option('force', '--force')}",
    hints.RUN: lambda w: f"jupyter dsl run {w('notebook')}{w.option('kernel', '--kernel')}",
    hints.BATCH: lambda w: (
        f"jupyter dsl batch {w('notebook')} --grid {w('grid')}{w.option('scheduler', '--scheduler')}"
    ),
    hints.RESUME_BATCH: lambda w: f"jupyter dsl batch {w('notebook')} --resume {w('batch')}",
    hints.SHOW_RUN: lambda w: f"jupyter dsl runs show {w('run')}",
    hints.LIST_RUNS: lambda w: f"jupyter dsl runs{w.option('batch', '--batch')}",
    hints.LIST_BATCHES: lambda w: "jupyter dsl batches",
    hints.TAG_PARAMETERS: lambda w: (
        f"jupyter dsl params {w('notebook')} --tag-cell {w('cell')}{w.option('move', '--move')}"
    ),
    hints.LIST_ISSUES: lambda w: f"jupyter dsl issue list{w.option('state', '--state')}",
    hints.SHOW_ISSUE: lambda w: f"jupyter dsl issue show {w('issue')}",
    hints.COMPLETE: lambda w: f"jupyter dsl complete {w('notebook')}{w.option('outcome', '--outcome')}",
}


def command(act: Action) -> str:
    return COMMANDS[act.name](Words(act))


def cli_hint(advice: Hint | None) -> str | None:
    """The hint as the CLI says it: ``Link it to an issue first. Run `jupyter dsl link a.ipynb N`.``"""
    if advice is None:
        return None
    if advice.action is None:
        return advice.text
    return f"{advice.text} Run `{command(advice.action)}`."
