"""The Dask executor: the same run function on a ``dask.distributed`` cluster (``pip install
jupyter-dsl[dask]``).

A worker executes the run in a fresh kernel of its own, writes the artifacts to the project's artifact
store (set ``[runs] artifacts`` to an fsspec URL every worker can reach) and hands the record back; the
driver writes it to the project's run store. At most as many runs are submitted as the cluster has
threads, so a submitted run is a running one. Cancelling sets a Dask ``Event`` the workers watch.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import hints
from ...errors import ConfigError
from ...runs.records import RunError, RunRecord, new_run_id, run_identity
from ...runs.store import RunStore
from ..state import BatchStore
from .base import BatchJob, RunTask

if TYPE_CHECKING:
    from ...runs.execute import RunContext, RunPlan

INSTALL_HINT = "pip install jupyter-dsl[dask]"


def _distributed() -> Any:
    try:
        import distributed  # lazy: optional extra (jupyter-dsl[dask])
    except ImportError:
        raise ConfigError("the dask executor needs dask.distributed", hint=INSTALL_HINT) from None
    return distributed


def run_on_worker(
    plan: RunPlan, context: RunContext, timeout: float | None, cancel_event: str
) -> dict[str, Any]:
    """One run, on a Dask worker: a fresh kernel, artifacts to the artifact store, the record returned.
    The record's environment is the worker's kernel's (cached per worker process), not the driver's."""
    from ...runs.control import RunControl  # lazy: imported on the worker, when the task runs
    from ...runs.environment import for_kernel  # lazy: imported on the worker, when the task runs
    from ...runs.execute import execute, prepare_run  # lazy: imported on the worker, when the task runs

    distributed = _distributed()
    control = RunControl()
    done = threading.Event()

    def watch() -> None:
        event = distributed.Event(cancel_event)
        while not done.wait(0.5):
            if event.is_set():
                control.stop("interrupted")
                return

    with tempfile.TemporaryDirectory(prefix="jupyter-dsl-dask-") as scratch:
        context = replace(context, environment=for_kernel(plan.kernel))
        if not plan.notebook.exists():  # a worker on another machine: the notebook as the batch read it
            copy = Path(scratch) / plan.notebook.name
            copy.write_bytes(context.notebook_bytes)
            plan = replace(plan, notebook=copy)
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            with RunStore(Path(scratch) / "runs.sqlite") as store:
                record = execute(prepare_run(plan, context), store=store, timeout=timeout, control=control)
        finally:
            done.set()
        return record.to_json()


def _failed_record(task: RunTask, context: RunContext, exc: BaseException) -> RunRecord:
    """The record of a run whose Dask task itself failed (a worker died, the task was lost)."""
    plan = task.plan
    return RunRecord(
        id=new_run_id(),
        notebook=plan.relative,
        notebook_hash=context.notebook_hash,
        parameters=plan.parameters,
        kernel=plan.kernel,
        status="failed",
        identity=run_identity(context.notebook_hash, plan.parameters),
        batch_id=plan.batch_id,
        parameter_sources=plan.sources,
        defaults=plan.unset,
        error=RunError(None, type(exc).__name__, str(exc) or type(exc).__name__),
    )


class DaskExecutor:
    def __init__(self, scheduler: str, workers: int) -> None:
        distributed = _distributed()
        if not scheduler:
            raise ConfigError(
                "the dask executor needs a scheduler address",
                hint=hints.hint(
                    'Name the Dask scheduler\'s address (tcp://HOST:8786), or set [batch] scheduler = "..." '
                    "in dsl.toml.",
                    hints.BATCH,
                    scheduler=None,
                ),
            )
        try:
            self.client = distributed.Client(scheduler, timeout=10, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        self.workers = workers

    def run(self, job: BatchJob) -> None:
        distributed = _distributed()
        event = distributed.Event(f"jupyter-dsl-cancel-{job.batch_id}-{job.token}", client=self.client)
        stopper = lambda reason: event.set()  # noqa: E731
        job.on_cancel(stopper)
        slots = self.workers or max(1, sum(self.client.nthreads().values()))
        store = RunStore(job.database)
        batches = BatchStore(store)
        pending: dict[Any, RunTask] = {}
        completed = distributed.as_completed(loop=self.client.loop)
        try:
            self._fill(job, batches, pending, completed, slots, event.name)
            for future in completed:
                task = pending.pop(future)
                try:
                    record = RunRecord.from_json(future.result())
                except Exception as exc:  # the task failed, not the notebook
                    record = _failed_record(task, job.context, exc)
                store.insert(record)
                job.finished(batches, task, record)
                self._fill(job, batches, pending, completed, slots, event.name)
        finally:
            job.forget(stopper)
            store.close()
            self.client.close()

    def _fill(
        self,
        job: BatchJob,
        batches: BatchStore,
        pending: dict[Any, RunTask],
        completed: Any,
        slots: int,
        event_name: str,
    ) -> None:
        while len(pending) < slots:
            task = job.take()
            if task is None:
                return
            if not job.claim(batches, task, None):
                job.skipped(task)
                continue
            future = self.client.submit(
                run_on_worker, task.plan, job.context, job.timeout, event_name, pure=False
            )
            pending[future] = task
            completed.add(future)
            job.started(task)
