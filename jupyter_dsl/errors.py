"""The one exception root of jupyter-dsl and its few structured subclasses.

Surfaces map these to exit codes (CLI), HTTP statuses (server) and readable messages (magics);
the core raises nothing else on purpose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from .hints import SHOW_RUN, Hint, as_hint, hint

if TYPE_CHECKING:
    from .runs.records import RunRecord


class DslError(Exception):
    """Base of every error jupyter-dsl raises on purpose. ``advice`` says what to do about it (a neutral
    sentence and maybe an action, see :mod:`jupyter_dsl.hints`); ``hint`` is its sentence. Neither
    names a surface: each surface words the action its own way."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, hint: str | Hint | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.advice = as_hint(hint)

    @property
    def hint(self) -> str | None:
        return self.advice.text if self.advice is not None else None

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class InvalidInput(DslError):
    """The user asked for something malformed: a bad type, name, value or file."""

    exit_code = 2
    http_status = 400


class NotFound(DslError):
    """An issue, notebook, run or file that does not exist."""

    exit_code = 3
    http_status = 404


class ProjectNotFound(NotFound):
    """No dsl.toml and no git repository above the given path."""


class Conflict(DslError):
    """The request clashes with the current state (dirty working tree, file exists, ...)."""

    exit_code = 4
    http_status = 409


class ConfigError(DslError):
    """dsl.toml or a YAML config file cannot be read; the message names the file and line."""

    exit_code = 5
    http_status = 422


class TrackerError(DslError):
    """The issue tracker refused or failed (auth, permissions, rate limit, server error, timeout)."""

    exit_code = 6
    http_status = 502

    def __init__(self, message: str, *, status: int | None = None, hint: str | Hint | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status  # the forge's HTTP status, when it answered one (never part of the message)


class ExecutionError(DslError):
    """A notebook run failed; the run record holds the details."""

    exit_code = 7
    http_status = 500


class RunFailed(ExecutionError):
    """A recorded run that did not succeed. It carries the stored record (``None`` when the run was
    stopped before it was recorded); the exit code follows the run's status."""

    STATUS_EXIT_CODES: ClassVar[dict[str, int]] = {"failed": 7, "lost": 7, "interrupted": 130, "killed": 143}

    def __init__(
        self, record: RunRecord | None, *, status: str | None = None, reported: bool = False
    ) -> None:
        self.record = record
        self.status = status or (record.status if record is not None else "failed")
        advice: Hint | None = None
        if record is None:
            message = f"stopped ({self.status}) before the run was recorded"
        else:
            message = f"run {record.id} {self.status}"
            advice = hint(
                "The run's record shows the traceback and the output notebook.", SHOW_RUN, run=record.id
            )
        super().__init__(message, hint=advice)
        self.exit_code = self.STATUS_EXIT_CODES.get(self.status, 7)
        #: the surface already printed the record (``--json``): report the error as one line only
        self.reported = reported


class InsideRun(DslError):
    """Refused, before anything is written, because this process runs inside recorded run ``run_id``
    (its kernel, or a command that kernel started): a recorded run does not ``action`` (start runs,
    change the tracker, a notebook file or git). Not a failure of what runs: a magic says it in one
    line and returns, the CLI says it in one line and exits 0, so the run's cell goes on."""

    exit_code = 0
    http_status = 409

    def __init__(self, run_id: str, action: str) -> None:
        super().__init__(f"skipped inside recorded run {run_id}: a recorded run does not {action}")
        self.run_id = run_id
        self.action = action


class PathRefused(DslError):
    """A path that points outside the allowed root (``..``, absolute, or a symlink out)."""

    exit_code = 2
    http_status = 403
