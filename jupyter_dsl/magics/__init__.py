"""`%load_ext jupyter_dsl` then `%dsl ...`: the lifecycle from inside a notebook.

Each module of this package registers its subcommands in :data:`base.SUBCOMMANDS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class

from ..errors import DslError, InsideRun
from . import (  # noqa: F401  (they register their subcommands)
    batch_magics,
    data_magics,
    findings_magics,
    issue_magics,
    notebook_magics,
    project_magics,
    run_magics,
    story_magics,
    sync_magics,
    tracker_magics,
)
from .base import MagicSession, dispatch
from .hints import magic_error

__all__ = ["DslMagics", "register"]


@magics_class
class DslMagics(Magics):
    def __init__(self, shell: Any) -> None:
        super().__init__(shell)
        self.session = MagicSession(shell)

    @line_magic
    def dsl(self, line: str) -> Any:
        """The Data Science Lifecycle Process: `%dsl` alone lists the commands."""
        try:
            return dispatch(self.session, line)
        except InsideRun as exc:  # not an error: one line, and "Run All" (the run) goes on
            print(f"%dsl {(line.split() or [''])[0]}: {exc.message}")
            return None
        except DslError as exc:
            # A UsageError shows as one clear message (no traceback) and still stops "Run All".
            raise UsageError(magic_error(exc, self._notebook())) from None

    @cell_magic
    def finding(self, line: str, cell: str) -> None:
        """`%%finding TITLE [--answers N]`: this cell's outputs become the artifact of a finding."""
        try:
            findings_magics.finding_cell(self.shell, line, cell)
        except DslError as exc:
            raise UsageError(magic_error(exc, self._notebook())) from None

    def _notebook(self) -> Path | None:
        """This kernel's notebook when it can tell (a hint then leaves out ``--notebook`` for it)."""
        try:
            return self.session.current_notebook()
        except DslError:
            return None


def register(ipython: Any) -> None:
    ipython.register_magics(DslMagics)
    from .frontend import attach  # lazy: only when the extension is loaded in a kernel

    attach(ipython)
