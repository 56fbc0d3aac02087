"""What a run raised out of is told apart by its type, not by its class's name: papermill's cell error
(and any subclass of it) is the cell's error, nbclient's dead kernel is a dead kernel, and another
exception that merely shares one of those names is neither."""

from __future__ import annotations

from nbclient.exceptions import DeadKernelError
from papermill.exceptions import PapermillExecutionError

from jupyter_dsl.runs.execute import KERNEL_DIED, _raised_error
from jupyter_dsl.runs.records import RunError


class CellFailure(PapermillExecutionError):
    """A subclass of papermill's error under another name (as a papermill engine may raise)."""


def test_a_cell_error_and_its_subclasses_give_the_cells_ename_and_evalue() -> None:
    tb = ["\x1b[31mValueError\x1b[0m", "boom"]
    for error_type in (PapermillExecutionError, CellFailure):
        raised = error_type(3, 2, "raise ValueError('boom')", "ValueError", "\x1b[1mboom\x1b[0m", tb)
        assert _raised_error(raised, 3) == RunError(3, "ValueError", "boom", ["ValueError", "boom"])


def test_nbclients_dead_kernel_is_a_dead_kernel() -> None:
    assert _raised_error(DeadKernelError("Kernel died"), 1) == RunError(1, "DeadKernelError", KERNEL_DIED)


def test_an_exception_that_only_shares_a_name_is_neither() -> None:
    lookalikes = {
        name: type(name, (RuntimeError,), {})("a library's own error")
        for name in ("DeadKernelError", "PapermillExecutionError")
    }
    for name, raised in lookalikes.items():
        assert _raised_error(raised, 0) == RunError(0, name, "a library's own error")
