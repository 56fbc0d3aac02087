"""The local executor: N worker threads, each running one run at a time in a fresh kernel.

While a worker runs one task it has the kernels of its next tasks starting (``AHEAD`` of them): each
start is a task of the worker thread's own event loop (``KernelLauncher.start_async``), which runs
while the worker's current run executes, so the fork, the kernel's boot and its ``kernel_info``
answer all happen meanwhile, and the client is already the worker's own when its run comes (no
second connection). Each thread has its own store connection. The threads never run user code:
every run is in its own kernel process, which is killed when the run ends (and no kernel outlives
the launcher).
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...runs import timings
from ...runs.store import RunStore
from ..state import BatchStore
from .base import BatchJob, RunTask

if TYPE_CHECKING:
    from ...kernels.ahead import KernelLauncher, StartedKernel
    from ...runs.execute import PreparedRun


AHEAD = 2  # kernels each worker has starting while it runs one


@dataclass
class _Pending:
    """A task whose run is prepared (id, staging folder) and whose kernel is starting."""

    task: RunTask
    prepared: PreparedRun
    kernel: asyncio.Task[StartedKernel]


def _started(loop: asyncio.AbstractEventLoop, pending: _Pending) -> StartedKernel | None:
    """The pending kernel, once started (None: its start failed; the run starts its own)."""
    try:
        return loop.run_until_complete(pending.kernel)
    except Exception:  # the run starts its own kernel, and records why that fails too
        return None


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
        threads = [
            threading.Thread(target=self._worker, args=(job, launcher), name=f"dsl-batch-{i}")
            for i in range(count)
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            launcher.close()

    def _prefetch(
        self, job: BatchJob, launcher: KernelLauncher, loop: asyncio.AbstractEventLoop
    ) -> _Pending | None:
        from ...runs.execute import prepare_run  # lazy: the run stack loads when a batch runs

        task = job.take()
        if task is None:
            return None
        with timings.phase("driver: prepare (run id, staging folder, kernel env)"):
            prepared = prepare_run(task.plan, job.context)
        kernel = loop.create_task(launcher.start_async(prepared.env, task.plan.notebook.parent))
        return _Pending(task, prepared, kernel)

    def _worker(self, job: BatchJob, launcher: KernelLauncher) -> None:
        from jupyter_core.utils import ensure_event_loop  # lazy: with the kernel stack

        loop = ensure_event_loop()  # this thread's: kernel starts and the runs' clients share it
        store = RunStore(job.database)
        ahead: deque[_Pending] = deque()
        try:
            batches = BatchStore(store)
            while True:
                while len(ahead) < 1 + AHEAD and (following := self._prefetch(job, launcher, loop)):
                    ahead.append(following)
                if not ahead:
                    break
                self._run_one(job, batches, ahead.popleft(), loop)
        except Exception as exc:  # a bug or a broken store: stop this batch, say why
            job.errors.append(f"{type(exc).__name__}: {exc}")
            job.cancel("interrupted")
        finally:
            while ahead:
                self._discard(ahead.popleft(), loop)
            store.close()
            if not loop.is_running() and not loop.is_closed():
                loop.close()  # this thread's, with its self-pipe sockets: the thread ends here

    def _discard(self, pending: _Pending, loop: asyncio.AbstractEventLoop) -> None:
        kernel = _started(loop, pending)  # (a start is short: waited for, then killed)
        if kernel is not None:
            kernel.kill()
        shutil.rmtree(pending.prepared.staging, ignore_errors=True)

    def _run_one(
        self, job: BatchJob, batches: BatchStore, pending: _Pending, loop: asyncio.AbstractEventLoop
    ) -> None:
        from ...runs.control import RunControl  # lazy: the run stack loads when a batch runs
        from ...runs.execute import execute  # lazy: the run stack loads when a batch runs

        control = RunControl()
        if not job.on_cancel(control.stop):
            self._discard(pending, loop)
            return
        try:
            with timings.phase("driver: claim"):
                claimed = job.claim(batches, pending.task, pending.prepared.record.id)
            if not claimed:
                self._discard(pending, loop)
                job.skipped(pending.task)
                return
            job.started(pending.task)
            with timings.phase("driver: waiting for the kernel started ahead"):
                kernel = _started(loop, pending)
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
