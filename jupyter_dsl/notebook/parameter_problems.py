"""What is wrong with the values given for a run (each problem with the source of its value), and
what to do about a notebook that has no parameters cell.

A surface that names typed values its own way (the sidebar's form, where the CLI and magics have
``-p``) words the problems with :meth:`ParameterProblems.worded`; the core keeps them apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import hints
from ..errors import InvalidInput
from ..hints import Hint

if TYPE_CHECKING:
    from .parameters import ParametersCell

TYPED = "-p"  # the source of a value typed as text (so recorded in every run's parameter_sources)


@dataclass(frozen=True)
class ParameterProblem:
    text: str  # "unknown parameter 'x'", "parameter 'a' must be float, got str 'x'"
    source: str  # where the value came from: a config file, "given" or TYPED


class ParameterProblems(InvalidInput):
    """Values that do not fit the parameters cell, each with the source of its value; a surface that
    names typed values its own way (the sidebar's form) words them with :meth:`worded`."""

    def __init__(self, problems: list[ParameterProblem], *, hint: str | Hint | None = None) -> None:
        self.problems = problems
        super().__init__(self.worded(), hint=hint)

    def worded(self, typed: str = TYPED) -> str:
        """The problems on one line, typed values named ``typed``."""
        return "; ".join(f"{p.text} (from {typed if p.source == TYPED else p.source})" for p in self.problems)


def no_cell_hint(cell: ParametersCell) -> Hint:
    shown = ", ".join(f"{i + 1}: {line!r}" for i, line in cell.code_cells[:5])
    return hints.hint(
        "Tag the cell that assigns the defaults as the parameters cell "
        f"(cells count from 1; code cells: {shown or 'none'}), or add the tag 'parameters' "
        "in JupyterLab's property inspector.",
        hints.TAG_PARAMETERS,
        notebook=cell.path,
        cell=None,
    )
