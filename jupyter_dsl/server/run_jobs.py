"""Runs the sidebar starts: the server executes them in its own thread pool and remembers their state.

A job is one recorded run (``runs.execute``): validated by ``plan_run`` before it is accepted, then
executed in a worker thread. The run record itself lives in the run index from its first moment
(status ``running``), so the Runs list shows it; the job only tells the sidebar how its request went.
Jobs are kept in memory for the server's lifetime (the record, not the job, is the truth).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..errors import DslError
from ..runs.execute import RunPlan, execute
from ..runs.records import now_iso

UNRECORDED = "the run could not be recorded; the Jupyter server log has the details"
Describe = Callable[[DslError], dict[str, Any]]  # an error as the server says it (``error_body``)


@dataclass
class RunJob:
    id: str
    path: str  # the notebook's API path
    parameters: dict[str, Any]
    state: str = "running"  # running | done | failed
    started_at: str = field(default_factory=now_iso)
    finished_at: str | None = None
    run: dict[str, Any] | None = None  # {"id", "status"} of the recorded run when done
    error: dict[str, Any] | None = None  # {"message", "hint", "action"} when the run could not be recorded

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "parameters": self.parameters,
            "state": self.state,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "run": self.run,
            "error": self.error,
        }


class RunJobs:
    """The server's run jobs and the executor they run in: ``workers`` runs at once (each a fresh
    kernel process), the ``keep`` most recent finished jobs remembered."""

    def __init__(self, workers: int, *, keep: int) -> None:
        self.workers = workers
        self.keep = keep
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jupyter-dsl-run")
        self._jobs: dict[str, RunJob] = {}
        self._lock = threading.Lock()

    def start(self, plan: RunPlan, path: str, describe: Describe) -> RunJob:
        """Execute a validated plan in the executor; ``describe`` says an error as the server says it."""
        job = RunJob(uuid.uuid4().hex[:12], path, dict(plan.parameters))
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
        self._executor.submit(self._run, job, plan, describe)
        return job

    def _run(self, job: RunJob, plan: RunPlan, describe: Describe) -> None:
        try:
            record = execute(plan)
        except DslError as exc:
            self._finish(job, error=describe(exc))
        except Exception:  # reported to the sidebar; the traceback goes to the log
            logging.getLogger(__name__).exception("run of %s failed", job.path)
            self._finish(job, error={"message": UNRECORDED, "hint": None, "action": None})
        else:
            self._finish(job, run={"id": record.id, "status": record.status})

    def _finish(self, job: RunJob, **changes: Any) -> None:
        with self._lock:
            job.state = "failed" if changes.get("error") else "done"
            job.finished_at = now_iso()
            job.run = changes.get("run")
            job.error = changes.get("error")

    def _forget_old(self) -> None:
        finished = [job for job in self._jobs.values() if job.state != "running"]
        for job in finished[: max(0, len(finished) - self.keep)]:
            del self._jobs[job.id]

    def list(self, path: str | None = None) -> list[dict[str, Any]]:
        """The jobs (of one notebook), newest first."""
        with self._lock:
            jobs = [job.to_json() for job in self._jobs.values() if path is None or job.path == path]
        return jobs[::-1]

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
