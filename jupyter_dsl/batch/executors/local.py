"""The local executor: N worker threads, each running one run at a time in a fresh kernel.

While a worker runs one task it has the kernel of its next task starting (``KernelLauncher.start`` in
a small thread pool), so a run never waits for a kernel to boot unless the kernels are slower than
the runs. Each thread has its own store connection. The threads never run user code: every run is in
its own kernel process, which is killed when the run ends (and no kernel outlives the launcher).
"""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...runs import timings
from ...runs.store import RunStore
from ..state import BatchStore
from .base import BatchJob, RunTask

if TYPE_CHECKING:
    from ...kernels.ahead import KernelLauncher, StartedKernel
    from ...runs.execute import PreparedRun


@dataclass
class _Pending:
    """A task whose run is prepared (id, staging folder) and whose kernel is starting."""

    task: RunTask
    prepared: PreparedRun
    kernel: Future[StartedKernel]


def _kill_when_started(future: Future[Any]) -> None:
    def kill(done: Future[Any]) -> None:  # runs in whichever thread finishes the start
        if not done.cancelled() and done.exception() is None:
            done.result().kill()  # no run uses it: its client's channels and context close here too

    future.add_done_callback(kill)


class LocalExecutor:
    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def run(self, job: BatchJob) -> None:
        import nbformat  # lazy: its JSON-schema stack loads when a batch runs

        from ...kernels.ahead import (  # lazy: the kernel stack loads when a batch runs
            KernelLauncher,
            notebook_imports,
        )

        node = nbformat.reads(job.context.notebook_bytes.decode("utf-8"), as_version=4)
        launcher = KernelLauncher(job.kernel, preload=notebook_imports(node), local_dir=job.notebook.parent)
        count = min(self.workers, job.progress.total) or 1
        starter = ThreadPoolExecutor(max_workers=count, thread_name_prefix="dsl-kernel-start")
        threads = [
            threading.Thread(target=self._worker, args=(job, launcher, starter), name=f"dsl-batch-{i}")
            for i in range(count)
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            starter.shutdown(wait=True, cancel_futures=True)
            launcher.close()

    def _prefetch(
        self, job: BatchJob, launcher: KernelLauncher, starter: ThreadPoolExecutor
    ) -> _Pending | None:
        from ...runs.execute import prepare_run  # lazy: the run stack loads when a batch runs

        task = job.take()
        if task is None:
            return None
        with timings.phase("driver: prepare (run id, staging folder, kernel env)"):
            prepared = prepare_run(task.plan, job.context)
        kernel = starter.submit(launcher.start, prepared.env, task.plan.notebook.parent)
        return _Pending(task, prepared, kernel)

    def _worker(self, job: BatchJob, launcher: KernelLauncher, starter: ThreadPoolExecutor) -> None:
        store = RunStore(job.database)
        try:
            batches = BatchStore(store)
            current = self._prefetch(job, launcher, starter)
            while current is not None:
                following = self._prefetch(job, launcher, starter)
                self._run_one(job, batches, current)
                current = following
        except Exception as exc:  # a bug or a broken store: stop this batch, say why
            job.errors.append(f"{type(exc).__name__}: {exc}")
            job.cancel("interrupted")
        finally:
            store.close()

    def _discard(self, pending: _Pending) -> None:
        _kill_when_started(pending.kernel)
        shutil.rmtree(pending.prepared.staging, ignore_errors=True)

    def _run_one(self, job: BatchJob, batches: BatchStore, pending: _Pending) -> None:
        from ...runs.control import RunControl  # lazy: the run stack loads when a batch runs
        from ...runs.execute import execute  # lazy: the run stack loads when a batch runs

        control = RunControl()
        if not job.on_cancel(control.stop):
            self._discard(pending)
            return
        try:
            with timings.phase("driver: claim"):
                claimed = job.claim(batches, pending.task, pending.prepared.record.id)
            if not claimed:
                self._discard(pending)
                job.skipped(pending.task)
                return
            job.started(pending.task)
            try:
                with timings.phase("driver: waiting for the kernel started ahead"):
                    kernel: StartedKernel | None = pending.kernel.result()
            except Exception:  # the run starts its own kernel, and records why that fails too
                kernel = None
            record = None
            try:
                record = execute(
                    pending.prepared,
                    store=batches.runs,
                    kernel=kernel,
                    timeout=job.timeout,
                    control=control,
                )
            finally:
                if kernel is not None:
                    kernel.kill()
                with timings.phase("driver: record (release the claim)"):
                    job.finished(batches, pending.task, record)
        finally:
            job.forget(control.stop)
