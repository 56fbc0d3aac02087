"""Stopping one run from another thread (a batch's Ctrl-C, a cancel, a per-run timeout)."""

from __future__ import annotations

import threading

from ..errors import InvalidInput
from ..kernels.ahead import StartedKernel

STOP_REASONS = ("interrupted", "killed", "timeout", "lost")


class RunControl:
    """Lets another thread stop one run: ``stop("interrupted" | "killed" | "timeout" | "lost")`` kills
    its kernel at once; the run is then recorded with that status (timeout is recorded as ``failed``
    with ename "Timeout"). Thread-safe; stopping a finished run does nothing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reason: str | None = None
        self._kernel: StartedKernel | None = None
        self._finished = False

    def stop(self, reason: str) -> None:
        if reason not in STOP_REASONS:
            raise InvalidInput(
                f"unknown stop reason {reason!r}", hint=f"Use one of {', '.join(STOP_REASONS)}."
            )
        with self._lock:
            if self._finished or self._reason is not None:
                return
            self._reason = reason
            kernel = self._kernel
        if kernel is not None:
            kernel.terminate()

    @property
    def stopped(self) -> str | None:
        """Why the run was stopped (None: it was not)."""
        return self._reason

    def attach(self, kernel: StartedKernel) -> None:
        """The run's kernel from now on (killed at once if the run was already stopped)."""
        with self._lock:
            self._kernel = kernel
            stopped = self._reason is not None
        if stopped:
            kernel.terminate()

    def finish(self) -> None:
        """The run is over: later stops do nothing."""
        with self._lock:
            self._finished = True
            self._kernel = None
