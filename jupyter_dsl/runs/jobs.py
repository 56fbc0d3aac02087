"""What the run service hands back for everything it starts: a :class:`Job` (a run, a rerun or a
batch, in the foreground or in the background), and the :class:`Observer` every surface implements
to follow it (the CLI prints, the magics draw a widget, the server keeps the job for the sidebar)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import DslError
from .records import RunRecord, now_iso
from .rerun import RerunReport

if TYPE_CHECKING:
    from ..batch.driver import BatchOutcome
    from ..batch.executors import BatchProgress

KINDS = ("run", "rerun", "batch")
UNRECORDED = "the run could not be recorded; the Jupyter server log has the details"
Describe = Callable[[DslError], dict[str, Any]]  # an error as a surface says it


class Observer:
    """Follows a job; every method may be called from another thread. The defaults do nothing."""

    def on_start(self, record: RunRecord) -> None:
        """A run of the job is in the store (status ``running``)."""

    def on_progress(self, progress: BatchProgress) -> None:
        """A batch's progress changed (a run started, finished, was skipped; the batch was cancelled)."""

    def on_finish(self, job: Job) -> None:
        """The job ended: ``job.result`` or ``job.error`` says how."""


def _said(error: DslError) -> dict[str, Any]:
    return {"message": error.message, "hint": None, "action": None}


@dataclass
class Job:
    """One thing the run service started. ``result``: the run's :class:`RunRecord` (also of a run a
    signal stopped), a rerun's :class:`RerunReport` or a batch's :class:`BatchOutcome`; ``error``:
    what kept it from being recorded."""

    kind: str  # run | rerun | batch
    path: str  # the notebook, as the starter names it
    parameters: dict[str, Any]
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    state: str = "running"  # running | done | failed
    started_at: str = field(default_factory=now_iso)
    finished_at: str | None = None
    run_id: str | None = None  # the run's id once it is in the store
    batch_id: str | None = None
    total: int = 1  # the runs it is to do (a batch: its parameter sets without a succeeded run)
    result: RunRecord | RerunReport | BatchOutcome | None = None
    error: BaseException | None = None
    cancel: Callable[[], None] = field(default=lambda: None, repr=False)  # how the service cancels it
    _ended: threading.Event = field(default_factory=threading.Event, repr=False)

    def end(self, result: Any = None, error: BaseException | None = None) -> None:
        self.result, self.error = result, error
        self.state = "failed" if error is not None else "done"
        self.finished_at = now_iso()
        self._ended.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job ended (True) or ``timeout`` seconds passed (False)."""
        return self._ended.wait(timeout)

    @property
    def record(self) -> RunRecord | None:
        """The run's record (of a run, or the new run of a rerun)."""
        if isinstance(self.result, RunRecord):
            return self.result
        return self.result.rerun if isinstance(self.result, RerunReport) else None

    def to_json(self, describe: Describe | None = None) -> dict[str, Any]:
        record = self.record
        error: dict[str, Any] | None = None
        if isinstance(self.error, DslError):
            error = (describe or _said)(self.error)
        elif self.error is not None:
            error = {"message": UNRECORDED, "hint": None, "action": None}
        report = self.result if isinstance(self.result, RerunReport) else None
        return {
            "id": self.id,
            "kind": self.kind,
            "path": self.path,
            "parameters": self.parameters,
            "state": self.state,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "run": {"id": record.id, "status": record.status} if record is not None else None,
            "batch": self.batch_id,
            "rerun": report.to_json() if report is not None else None,
            "error": error,
        }
