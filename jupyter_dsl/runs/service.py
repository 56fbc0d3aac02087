"""The run service: the one place that starts runs, reruns and batches, for every surface.

Each ``start_*`` refuses first, once, inside a recorded run (``inside_run``), then validates (what
can fail on bad input fails in the caller, before anything is written), then either drives the job
in the caller's thread (``foreground=True``: it blocks; with ``signals`` on the main thread SIGINT /
SIGTERM stop it, ``runs.foreground``) or in the service's own thread pool (it returns at once, the
job still ``running``). An :class:`~.jobs.Observer` follows it; :meth:`RunService.cancel` cancels
it (a batch through the store, where its driver's heartbeat finds it; a run through its
:class:`RunControl`). A long-lived process keeps one service (the server for its life, a kernel for
the magics) and shuts it down when it stops. A service given :class:`~.warm_kernels.WarmKernels`
forks each run's fresh kernel from a zygote that has already imported the notebook's modules.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..errors import DslError, NotFound
from ..project.settings import Project
from .control import RunControl
from .execute import RunPlan, execute, plan_run, prepare_run
from .foreground import terminate_raises, wait_cancelling
from .inside_run import refuse_inside_run
from .interrupts import Terminated, stopped_record
from .jobs import Job, Observer
from .records import RunRecord
from .rerun import plan_rerun, rerun_report
from .warm_kernels import WarmKernels

if TYPE_CHECKING:
    from ..batch.driver import BatchOptions, BatchOutcome, BatchPlan, StartedBatch

WORKERS = 2  # background jobs at once (the machine's cores; each run is a kernel process)
KEEP = 100  # finished jobs remembered (the oldest are forgotten first)
_log = logging.getLogger(__name__)


class RunService:
    """Starts, follows and cancels runs, reruns and batches. ``signals``: whether a foreground job
    on the main thread owns SIGINT / SIGTERM (the CLI's process; not a user's kernel)."""

    def __init__(
        self,
        workers: int = WORKERS,
        *,
        keep: int = KEEP,
        signals: bool = True,
        kernels: WarmKernels | None = None,
    ) -> None:
        self._workers = workers
        self._kernels = kernels  # runs and reruns fork their kernel from these zygotes (shut down with us)
        self._keep = keep
        self._signals = signals
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    @property
    def workers(self) -> int:
        """How many background jobs run at once."""
        return self._workers

    # --- starting ---------------------------------------------------------------------------------

    def start_run(
        self,
        plan: RunPlan | Callable[[], RunPlan],  # or what plans it (after the guard)
        *,
        foreground: bool = False,
        observer: Observer | None = None,
        progress: bool = False,
        path: str | None = None,
    ) -> Job:
        """Execute a planned run; its :class:`RunRecord` is ``job.result``."""
        refuse_inside_run("start runs")
        plan = plan() if callable(plan) else plan
        job = Job("run", path or plan.relative, dict(plan.parameters))
        return self._go(job, self._runner(job, plan, observer, progress), foreground, observer)

    def start_rerun(
        self,
        project: Project,
        run_id: str,
        *,
        foreground: bool = False,
        observer: Observer | None = None,
        progress: bool = False,
        path: Callable[[Path], str | None] | None = None,
    ) -> Job:
        """Execute run ``run_id`` (any unique part of its id) again with its recorded parameters and
        kernel; ``job.result`` is the :class:`RerunReport` (what changed since). ``path`` names the
        job's notebook from its path on disk (default: its path in the project)."""
        refuse_inside_run("start runs")
        original, plan = plan_rerun(project, run_id)  # NotFound before anything starts
        named = path(plan.notebook) if path is not None else None
        job = Job("rerun", named or plan.relative, dict(plan.parameters))
        execute_run = self._runner(job, plan, observer, progress)
        return self._go(job, lambda: rerun_report(original, execute_run()), foreground, observer)

    def start_batch(
        self,
        plan: BatchPlan | Callable[[], BatchPlan],  # or what plans it (after the guard)
        options: BatchOptions | None = None,
        *,
        foreground: bool = False,
        observer: Observer | None = None,
        path: str | None = None,
    ) -> Job:
        """Record the batch and run its parameter sets; returns (in the background) once the batch is
        in the store. ``job.result`` is the :class:`BatchOutcome`."""
        from ..batch.driver import begin_batch, cancel_batch  # lazy: batch/ sits above runs/ and imports it

        refuse_inside_run("start batches")
        plan = plan() if callable(plan) else plan
        project = plan.base.project
        started = begin_batch(plan, options, observer=observer.on_progress if observer else None)
        job = Job("batch", path or plan.base.relative, {}, batch_id=plan.batch_id, total=len(plan.to_run))
        job.cancel = lambda: cancel_batch(project, plan.batch_id)
        if foreground:  # (waiting, not the job, owns the signals: they cancel the batch)
            wait = lambda: self._wait_batch(started, self._signals)  # noqa: E731
            return self._foreground(job, wait, observer, signals=False)
        # a batch's executor has threads of its own: waiting for it takes no worker of the pool
        return self._background(job, lambda: self._wait_batch(started, False), observer, own_thread=True)

    # --- following and cancelling -----------------------------------------------------------------

    def job(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r} (jobs are kept while the process that started them runs)")
        return job

    def jobs(self, path: str | None = None, kinds: tuple[str, ...] = ("run", "rerun", "batch")) -> list[Job]:
        """The jobs (of one notebook, of these kinds), newest first."""
        with self._lock:
            jobs = [j for j in self._jobs.values() if j.kind in kinds and (path is None or j.path == path)]
        return jobs[::-1]

    def cancel(self, job_id: str) -> Job:
        """Cancel a job: a batch's queued runs never start and its running ones are recorded as
        interrupted; a run is stopped and recorded as interrupted. A finished job stays as it is."""
        job = self.job(job_id)
        if job.state == "running":
            job.cancel()
        return job

    def shutdown(self) -> None:
        """Queued background jobs never start; those under way finish their records. The warm
        zygotes stop (one a run still uses, when that run ends)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if self._kernels is not None:
            self._kernels.close()

    # --- driving ----------------------------------------------------------------------------------

    def _runner(
        self, job: Job, plan: RunPlan, observer: Observer | None, progress: bool
    ) -> Callable[[], RunRecord]:
        control = RunControl()
        job.cancel = lambda: control.stop("interrupted")

        def started(record: RunRecord) -> None:
            job.run_id = record.id
            if observer is not None:
                observer.on_start(record)

        kernels = self._kernels
        if kernels is None:
            return lambda: execute(plan, progress=progress, control=control, on_start=started)

        def forked() -> RunRecord:  # the run's fresh kernel forked from its notebook's warm zygote
            prepared = prepare_run(plan)
            with kernels.kernel(prepared) as kernel:
                return execute(prepared, kernel=kernel, progress=progress, control=control, on_start=started)

        return forked

    def _go(self, job: Job, work: Callable[[], Any], foreground: bool, observer: Observer | None) -> Job:
        if foreground:
            return self._foreground(job, work, observer)
        return self._background(job, work, observer)

    def _foreground(
        self, job: Job, work: Callable[[], Any], observer: Observer | None, *, signals: bool = True
    ) -> Job:
        """Drive ``work`` here. A run a signal stopped ends ``done`` with its stored record, and the
        KeyboardInterrupt / Terminated goes on to the caller (its record attached), as errors do."""
        self._remember(job)
        try:
            if self._signals and signals:
                with terminate_raises():
                    result = work()
            else:
                result = work()
        except (KeyboardInterrupt, Terminated) as exc:
            record = stopped_record(exc)
            self._end(job, observer, record, None if record is not None else exc)
            raise
        except BaseException as exc:
            self._end(job, observer, None, exc)
            raise
        self._end(job, observer, result, None)
        return job

    def _background(
        self, job: Job, work: Callable[[], Any], observer: Observer | None, *, own_thread: bool = False
    ) -> Job:
        self._remember(job)
        if own_thread:
            name = f"dsl-{job.kind}-{job.id}"
            threading.Thread(target=self._settle, args=(job, work, observer), name=name, daemon=True).start()
            return job
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="dsl-job")
            pool = self._pool
        pool.submit(self._settle, job, work, observer)
        return job

    def _settle(self, job: Job, work: Callable[[], Any], observer: Observer | None) -> None:
        try:
            result = work()
        except BaseException as exc:  # kept in the job (its starter reads it); never lost
            if not isinstance(exc, DslError):
                _log.error("jupyter-dsl %s of %s failed", job.kind, job.path, exc_info=exc)
            self._end(job, observer, None, exc)
        else:
            self._end(job, observer, result, None)

    @staticmethod
    def _wait_batch(started: StartedBatch, signals: bool) -> BatchOutcome:
        if signals:
            stopped = wait_cancelling(started.done, started.job.cancel)
        else:
            started.done.wait()
            stopped = None
        return started.finish(stopped)

    def _end(self, job: Job, observer: Observer | None, result: Any, error: BaseException | None) -> None:
        job.end(result, error)
        if observer is not None:
            try:
                observer.on_finish(job)
            except Exception:  # an observer's failure must not lose the job's own outcome
                _log.exception("jupyter-dsl: an observer of job %s failed", job.id)

    def _remember(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.state != "running"]
            for old in finished[: max(0, len(finished) - self._keep)]:
                del self._jobs[old.id]


def run_notebook(
    project: Project,
    notebook: Path,
    *,
    config_files: Iterable[Path] = (),
    overrides: Iterable[tuple[str, str]] = (),
    values: dict[str, Any] | None = None,
    kernel: str | None = None,
    progress: bool = False,
) -> RunRecord:
    """Plan and execute one run in the foreground of this thread (a one-off service)."""

    def plan() -> RunPlan:
        return plan_run(
            project, notebook, config_files=config_files, overrides=overrides, values=values, kernel=kernel
        )

    return cast(RunRecord, RunService().start_run(plan, foreground=True, progress=progress).result)


def run_batch(
    plan: BatchPlan, options: BatchOptions | None = None, *, observer: Observer | None = None
) -> BatchOutcome:
    """Run a batch in the foreground of this thread (a one-off service) and return its outcome."""
    job = RunService().start_batch(plan, options, foreground=True, observer=observer)
    return cast("BatchOutcome", job.result)
