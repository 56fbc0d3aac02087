"""Reading what happened from papermill's output notebook: the failing cell, its error, early exits.

Cell numbers in records are those of the *input* notebook: papermill's injected-parameters cell and
its error-marker cells are not counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .records import RunError

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_PAPERMILL_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def input_indexes(node: Any) -> list[int | None]:
    """For each cell of the output notebook, its index in the input notebook (None: added by papermill)."""
    indexes: list[int | None] = []
    count = 0
    for cell in node.get("cells", []):
        if _tags(cell) & _PAPERMILL_TAGS:
            indexes.append(None)
        else:
            indexes.append(count)
            count += 1
    return indexes


def _is_clean_exit(output: Any) -> bool:
    # an error output's ``ename`` is the name the kernel gave (a string from another process, matched
    # as a string): SystemExit with no code or 0 is the notebook stopping itself, not a failure
    return bool(output.get("ename") == "SystemExit" and str(output.get("evalue", "")) in ("", "0", "None"))


def _stderr_error(cell: Any) -> tuple[str, str]:
    """A failed cell without an error output (a UsageError, say): what it said on stderr."""
    text = "".join(
        "".join(o.get("text", "")) for o in cell.get("outputs", []) or [] if o.get("name") == "stderr"
    )
    lines = [strip_ansi(line).strip() for line in text.splitlines() if line.strip()]
    match = re.match(r"^(\w+): (.*)$", lines[-1]) if lines else None
    if match:
        return match.group(1), match.group(2)
    return "CellExecutionError", lines[-1] if lines else "the cell failed without an error output"


@dataclass(frozen=True)
class Outcome:
    error: RunError | None  # the first real error in a cell
    exited_at: int | None  # input index of a cell that stopped the run with sys.exit(0)
    last_started: int | None  # input index of the last cell that started (where a kernel died)
    injected_failed: bool  # the error is in papermill's injected-parameters cell


def read_outcome(node: Any) -> Outcome:
    indexes = input_indexes(node)
    error: RunError | None = None
    exited_at: int | None = None
    last_started: int | None = None
    injected_failed = False
    for position, cell in enumerate(node.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        papermill = cell.get("metadata", {}).get("papermill", {}) or {}
        if papermill.get("start_time") and indexes[position] is not None:
            last_started = indexes[position]
        for output in cell.get("outputs", []) or []:
            if output.get("output_type") != "error" or error is not None:
                continue
            if _is_clean_exit(output):
                exited_at = indexes[position]
                continue
            injected_failed = indexes[position] is None
            error = RunError(
                cell_index=indexes[position],
                ename=str(output.get("ename", "")),
                evalue=strip_ansi(str(output.get("evalue", ""))),
                traceback=[strip_ansi(str(line)) for line in output.get("traceback", []) or []],
                execution_count=cell.get("execution_count"),
            )
        if (
            error is None
            and papermill.get("exception") is True
            and not any(
                _is_clean_exit(o) for o in cell.get("outputs", []) or [] if o.get("output_type") == "error"
            )
        ):
            ename, evalue = _stderr_error(cell)
            error = RunError(indexes[position], ename, evalue, execution_count=cell.get("execution_count"))
    return Outcome(error, exited_at, last_started, injected_failed)
