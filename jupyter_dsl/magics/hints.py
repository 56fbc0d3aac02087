"""How the magics word the core's hints: the sentence, then the `%dsl` line that does it.

An action that has no `%dsl` command (listing batches, showing one run) is said by its sentence alone:
a magic never suggests a `jupyter dsl` command.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

from .. import hints
from ..errors import DslError
from ..hints import Action, ArgValue, Hint

PLACEHOLDERS = {
    "directory": "DIR",
    "issue": "N",
    "kernel": "NAME",
    "grid": "GRID.yaml",
    "scheduler": "tcp://HOST:8786",
    "outcome": "succeeded|failed",
    "batch": "ID",
    "state": "all",
}


class Words:
    """One action's arguments as `%dsl` words; the notebook only when it is not this kernel's own."""

    def __init__(self, act: Action, current: Path | None) -> None:
        self.act = act
        self.current = current

    def __call__(self, key: str) -> str:
        value: ArgValue = self.act.get(key)
        if value is None:
            return PLACEHOLDERS.get(key, key.upper())
        return shlex.quote(str(value))

    def option(self, key: str, flag: str) -> str:
        if key not in self.act.args or self.act.get(key) is False:
            return ""
        return f" {flag}" if self.act.get(key) is True else f" {flag} {self(key)}"

    def notebook(self) -> str:
        given = self.act.get("notebook")
        if not isinstance(given, str) or (self.current is not None and Path(given) == self.current):
            return ""
        return f" --notebook {shlex.quote(given)}"


LINES: dict[str, Callable[[Words], str | None]] = {
    hints.LINK: lambda w: f"%dsl link {w('issue')}{w.notebook()}",
    hints.BRANCH: lambda w: f"%dsl branch{w.notebook()}{w.option('force', '--force')}",
    hints.INIT: lambda w: f"%dsl init {w('directory')}",
    hints.RUN: lambda w: f"%dsl run{w.notebook()}{w.option('kernel', '--kernel')}",
    hints.BATCH: lambda w: f"%dsl batch {w('grid')}{w.notebook()}{w.option('scheduler', '--scheduler')}",
    hints.RESUME_BATCH: lambda w: f"%dsl batch --resume {w('batch')}{w.notebook()}",
    hints.LIST_RUNS: lambda w: None if "batch" in w.act.args else "%dsl runs",
    hints.LIST_ISSUES: lambda w: f"%dsl issues{w.option('state', '--state')}",
    hints.SHOW_ISSUE: lambda w: f"%dsl show {w('issue')}",
    hints.COMPLETE: lambda w: f"%dsl complete{w.notebook()}{w.option('outcome', '--outcome')}",
}


def magic_line(act: Action, current: Path | None) -> str | None:
    """The `%dsl` line that does ``act``, or None when no magic does it."""
    make = LINES.get(act.name)
    return make(Words(act, current)) if make is not None else None


def magic_hint(advice: Hint | None, current: Path | None = None) -> str | None:
    """The hint as a magic says it: ``Link it to an issue first. Run `%dsl link N`.``"""
    if advice is None:
        return None
    line = magic_line(advice.action, current) if advice.action is not None else None
    return f"{advice.text} Run `{line}`." if line else advice.text


def magic_error(exc: DslError, current: Path | None = None) -> str:
    """What a cell shows for an error: its message, then the hint in `%dsl` words."""
    said = magic_hint(exc.advice, current)
    return f"{exc.message}\n{said}" if said else exc.message
