"""The one exception root of jupyter-dsl and its few structured subclasses.

Surfaces map these to exit codes (CLI), HTTP statuses (server) and readable messages (magics);
the core raises nothing else on purpose.
"""

from __future__ import annotations


class DslError(Exception):
    """Base of every error jupyter-dsl raises on purpose. ``hint`` says what to do about it."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

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

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class ExecutionError(DslError):
    """A notebook run failed; the run record holds the details."""

    exit_code = 7
    http_status = 500


class PathRefused(DslError):
    """A path that points outside the allowed root (``..``, absolute, or a symlink out)."""

    exit_code = 2
    http_status = 403
