"""What to do about an error, said once for every surface.

A ``Hint`` is a neutral sentence (it names no command, flag, magic or button) and, when there is one,
the ``Action`` that does it: named for what it does, with its arguments. The core never words an
action; each surface does, in its own words: the CLI as a ``jupyter dsl`` command line, the magics as
a ``%dsl`` line, the server sends the sentence and the action as data.

An action's arguments are plain values; a path is absolute (a surface shows it its own way). An
argument given as None is one the user has to choose (a surface shows a placeholder); one left out
does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ArgValue = str | int | bool | None

# The actions a hint can name (each surface words those it has a command for).
LINK = "link"  # notebook, issue: link the notebook to an issue
BRANCH = "branch"  # notebook, force: switch to (or create) the notebook's DSLP branch
INIT = "init"  # directory: make a folder a DSLP project
DEMO = "demo"  # directory, force: write the worked example
RUN = "run"  # notebook, kernel: run the notebook and record it
BATCH = "batch"  # notebook, grid, scheduler: run a notebook over a grid file
RESUME_BATCH = "resume_batch"  # notebook, batch: run what a batch has left
SHOW_RUN = "show_run"  # run: a recorded run with its traceback and output notebook
LIST_RUNS = "list_runs"  # batch: the recorded runs (of one batch)
LIST_BATCHES = "list_batches"  # the batches with their ids
TAG_PARAMETERS = "tag_parameters"  # notebook, cell (from 1), move: tag a cell as the parameters cell
LIST_ISSUES = "list_issues"  # state: the project's issues
SHOW_ISSUE = "show_issue"  # issue: one issue with its labels
COMPLETE = "complete"  # notebook, outcome: mark an exploration or experiment complete

ACTIONS = (
    LINK,
    BRANCH,
    INIT,
    DEMO,
    RUN,
    BATCH,
    RESUME_BATCH,
    SHOW_RUN,
    LIST_RUNS,
    LIST_BATCHES,
    TAG_PARAMETERS,
    LIST_ISSUES,
    SHOW_ISSUE,
    COMPLETE,
)


@dataclass(frozen=True)
class Action:
    """Something the user can do next: one of ``ACTIONS`` and its arguments."""

    name: str
    args: dict[str, ArgValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.name not in ACTIONS:
            raise ValueError(f"unknown hint action {self.name!r}")

    def get(self, key: str) -> ArgValue:
        return self.args.get(key)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "args": dict(self.args)}


def action(name: str, **args: ArgValue | Path) -> Action:
    """An action; paths become strings (None: the user chooses the value)."""
    return Action(
        name, {key: str(value) if isinstance(value, Path) else value for key, value in args.items()}
    )


@dataclass(frozen=True)
class Hint:
    """What to do: a neutral sentence, and the action that does it when there is one."""

    text: str
    action: Action | None = None

    def __str__(self) -> str:
        return self.text

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "action": self.action.to_json() if self.action else None}


def hint(text: str, name: str | None = None, **args: ArgValue | Path) -> Hint:
    """``hint("Link it to an issue first.", LINK, notebook=path)``."""
    return Hint(text, action(name, **args) if name is not None else None)


def as_hint(value: str | Hint | None) -> Hint | None:
    """A hint given as plain text (a neutral sentence) or as a ``Hint``."""
    if value is None or isinstance(value, Hint):
        return value
    return Hint(value) if value else None


def link_first(notebook: Path, what: str = "an issue") -> Hint:
    """The one way every "not linked" error says what to do."""
    return hint(f"Link it to {what} first.", LINK, notebook=notebook, issue=None)


def list_runs(batch: str | None = None) -> Hint:
    if batch is not None:
        return hint("The batch's runs show how each one ended.", LIST_RUNS, batch=batch)
    return hint("The list of recorded runs shows their ids.", LIST_RUNS)


def list_batches() -> Hint:
    return hint("The list of batches shows their ids.", LIST_BATCHES)


def list_all_issues() -> Hint:
    return hint("The list of all issues, closed ones too, shows their numbers.", LIST_ISSUES, state="all")
