"""What a batch hands its executor: the tasks, the shared run context, claims, progress and cancellation.

An executor (local threads, a Dask cluster, a third party's) only has to ``run(job)``: take tasks
with ``job.take()`` until it answers None, claim each with ``job.claim`` before it starts (a task
another driver claimed, or that already succeeded, is skipped), report ``job.started`` /
``job.finished``, and register a stopper with ``job.on_cancel`` that stops what it is running.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ...runs.execute import RunContext, RunPlan
    from ...runs.records import RunRecord
    from ..state import BatchStore


@dataclass(frozen=True)
class RunTask:
    position: int
    identity: str
    plan: RunPlan


@dataclass
class BatchProgress:
    """A snapshot for progress displays (the store holds the truth; this is the driver's view)."""

    total: int
    succeeded: int = 0
    failed: int = 0  # failed, interrupted, killed, lost
    running: dict[str, dict[str, Any]] = field(default_factory=dict)  # identity -> parameters
    failures: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (parameters, error)
    started: float = field(default_factory=time.monotonic)
    cancelled: str | None = None
    last: tuple[str, dict[str, Any], float | None, str] | None = None  # status, parameters, s, error

    @property
    def done(self) -> int:
        return self.succeeded + self.failed

    @property
    def eta_s(self) -> float | None:
        if not self.done:
            return None
        rate = (time.monotonic() - self.started) / self.done
        return rate * (self.total - self.done)

    def copy(self) -> BatchProgress:
        return BatchProgress(
            self.total,
            self.succeeded,
            self.failed,
            dict(self.running),
            list(self.failures),
            self.started,
            self.cancelled,
            self.last,
        )


Observer = Callable[[BatchProgress], None]
Stopper = Callable[[str], None]


class BatchJob:
    """The queue of a batch's tasks plus the bookkeeping every executor shares. Thread-safe."""

    def __init__(
        self,
        *,
        batch_id: str,
        token: str,
        database: Path,
        kernel: str,
        notebook: Path,
        context: RunContext,
        tasks: Iterable[RunTask],
        timeout: float | None,
        observer: Observer | None = None,
    ) -> None:
        self.batch_id = batch_id
        self.token = token
        self.database = database
        self.kernel = kernel
        self.notebook = notebook  # the notebook's path on this machine
        self.context = context
        self.timeout = timeout
        self._queue = deque(tasks)
        self._lock = threading.Lock()
        self._stoppers: list[Stopper] = []
        self._observer = observer
        self.progress = BatchProgress(total=len(self._queue))
        self.errors: list[str] = []  # what went wrong in the executor itself (not in a run)

    @property
    def cancelled(self) -> str | None:
        return self.progress.cancelled

    def take(self) -> RunTask | None:
        with self._lock:
            if self.progress.cancelled or not self._queue:
                return None
            return self._queue.popleft()

    def on_cancel(self, stopper: Stopper) -> bool:
        """Register ``stopper``; False (and not registered) when the batch is already cancelled."""
        with self._lock:
            if self.progress.cancelled:
                return False
            self._stoppers.append(stopper)
            return True

    def forget(self, stopper: Stopper) -> None:
        with self._lock:
            if stopper in self._stoppers:
                self._stoppers.remove(stopper)

    def cancel(self, reason: str) -> None:
        """Start no more runs; stop the running ones (recorded with ``reason``)."""
        with self._lock:
            if self.progress.cancelled:
                return
            self.progress.cancelled = reason
            stoppers = list(self._stoppers)
        for stop in stoppers:
            stop(reason)
        self._notify()

    def claim(self, batches: BatchStore, task: RunTask, run_id: str | None) -> bool:
        return batches.claim(self.batch_id, task.identity, self.token, run_id)

    def started(self, task: RunTask) -> None:
        with self._lock:
            self.progress.running[task.identity] = task.plan.parameters
        self._notify()

    def finished(self, batches: BatchStore, task: RunTask, record: RunRecord | None) -> None:
        batches.release(self.batch_id, task.identity, self.token, record.id if record else None)
        with self._lock:
            self.progress.running.pop(task.identity, None)
            if record is not None and record.status == "succeeded":
                self.progress.succeeded += 1
                self.progress.last = ("succeeded", record.parameters, record.duration_s, "")
            else:
                status = record.status if record is not None else "failed"
                error = "the run was not recorded" if record is None else record.status
                if record is not None and record.error is not None:
                    error = f"{record.error.ename}: {record.error.evalue}"
                self.progress.failed += 1
                self.progress.failures.append((task.plan.parameters, error))
                took = record.duration_s if record is not None else None
                self.progress.last = (status, task.plan.parameters, took, error)
        self._notify()

    def skipped(self, task: RunTask) -> None:
        """A task this driver did not run (claimed elsewhere): it no longer counts."""
        with self._lock:
            self.progress.total -= 1
        self._notify()

    def _notify(self) -> None:
        if self._observer is not None:
            with self._lock:
                snapshot = self.progress.copy()
            self._observer(snapshot)


class Executor(Protocol):
    """Runs a batch's tasks; returns when ``job.take()`` is exhausted and every started run is recorded."""

    def run(self, job: BatchJob) -> None: ...


@dataclass(frozen=True)
class ExecutorOptions:
    workers: int  # runs at once (0: the executor decides)
    scheduler: str = ""  # where the executor's cluster is, if it has one
