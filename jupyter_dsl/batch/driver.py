"""Batches: a notebook rerun over a grid of parameter sets, every run in a fresh kernel, resumable.

``plan_batch`` validates everything (notebook, grid file, -f/-p, kernel, resume id) before anything
is written. ``run_batch`` captures the run context once (notebook bytes, git, environment), records
the batch in the store, and hands the tasks to an executor (``local`` threads or ``dask``). A
heartbeat thread keeps the batch's lease fresh and picks up a cancel requested through the store (the
server's, the sidebar's). In the main thread Ctrl-C / SIGTERM cancel cleanly: queued runs are not
started, running ones are recorded as interrupted / killed, every kernel is killed.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import signal
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import hints
from ..errors import DslError, InvalidInput
from ..notebook import parameters
from ..project.settings import Project
from ..runs.execute import RunPlan, Terminated, plan_run, terminate_raises
from ..runs.inside_run import refuse_inside_run
from ..runs.records import new_run_id, run_identity
from ..runs.store import RunStore
from .executors import BatchJob, ExecutorOptions, RunTask, open_executor
from .executors.base import Observer
from .grid import GridSpec, ParameterSet, expand, read_grid
from .state import HEARTBEAT_S, BatchState, BatchStore, NewSet


@dataclass
class BatchPlan:
    base: RunPlan  # the notebook, kernel and project every run shares
    batch_id: str
    notebook_hash: str
    grid: dict[str, Any]
    sets: list[ParameterSet]
    identities: list[str]
    done: set[str] = field(default_factory=set)  # identities with a succeeded run (resume skips them)
    resume: bool = False

    @property
    def to_run(self) -> list[tuple[int, ParameterSet, str]]:
        return [
            (i, s, identity)
            for i, (s, identity) in enumerate(zip(self.sets, self.identities, strict=True))
            if identity not in self.done
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "notebook": self.base.relative,
            "kernel": self.base.kernel,
            "resume": self.resume,
            "total": len(self.sets),
            "skipped": len(self.sets) - len(self.to_run),
            "sets": [
                {"parameters": s.values, "sources": s.sources, "identity": i, "skip": i in self.done}
                for s, i in zip(self.sets, self.identities, strict=True)
            ],
        }


def plan_batch(
    project: Project,
    notebook: Path,
    grid_file: Path | None,
    *,
    config_files: Iterable[Path] = (),
    overrides: Iterable[tuple[str, str]] = (),
    kernel: str | None = None,
    resume: str | None = None,
    spec: GridSpec | None = None,
) -> BatchPlan:
    """Everything a batch needs, checked; nothing written. ``resume``: an existing batch's id or any
    unique part of it (its stored parameter sets are used when no grid file is given). ``spec``: a
    grid given as data (the sidebar's editor, see ``grid.editor_grid``) instead of a grid file."""
    config_files, overrides = list(config_files), list(overrides)
    base = plan_run(project, notebook, config_files=config_files, overrides=overrides, kernel=kernel)
    notebook_hash = hashlib.sha256(base.notebook.read_bytes()).hexdigest()
    done: set[str] = set()
    stored: list[NewSet] = []
    if resume is not None:
        with RunStore(project.database_path) as runs:
            batches = BatchStore(runs)
            resume = batches.find_id(resume)  # NotFound for an unknown id, InvalidInput for an ambiguous one
            state = batches.state(resume)  # a dead driver is reaped
            if state.notebook != base.relative:
                raise InvalidInput(
                    f"batch {resume} ran {state.notebook}, not {base.relative}",
                    hint=hints.hint(
                        "Resume it with the notebook it ran.",
                        hints.RESUME_BATCH,
                        notebook=project.root / state.notebook,
                        batch=resume,
                    ),
                )
            done = batches.succeeded(resume)
            stored = batches.stored_sets(resume)
    if grid_file is not None:
        cell = parameters.inspect(base.notebook, base.kernel)
        spec, sets = read_grid(grid_file, cell, config_files, overrides)
        grid = spec.to_json()
    elif spec is not None:
        cell = parameters.inspect(base.notebook, base.kernel)
        sets = expand(spec, cell, config_files, overrides)
        grid = spec.to_json()
    elif stored:
        sets, grid = [ParameterSet(s.parameters, s.sources) for s in stored], {"resumed": resume}
    else:
        raise InvalidInput(
            "a batch needs a grid file",
            hint=hints.hint(
                "Give a YAML file with parameters:, grid: or matrix:.",
                hints.BATCH,
                notebook=base.notebook,
                grid=None,
            ),
        )
    identities = [run_identity(notebook_hash, s.values) for s in sets]
    batch_id = resume or new_run_id()
    return BatchPlan(base, batch_id, notebook_hash, grid, sets, identities, done, resume is not None)


@dataclass(frozen=True)
class BatchOptions:
    workers: int = 0  # 0: [batch] workers, else one per core
    timeout: float | None = None  # per run, seconds
    executor: str = ""  # "": [batch] executor (dsl.toml), else "local"
    scheduler: str = ""  # "": [batch] scheduler


@dataclass
class BatchOutcome:
    state: BatchState
    stopped: str | None  # "interrupted" / "killed" when the batch was cancelled
    errors: list[str]  # the executor's own failures (not runs')
    warnings: list[str] = field(default_factory=list)  # the context's, once (each run records them too)

    @property
    def exit_code(self) -> int:
        """0 all succeeded, 7 some run did not, 130 / 143 cancelled by SIGINT / SIGTERM."""
        if self.stopped is not None:
            return 143 if self.stopped == "killed" else 130
        counts = self.state.counts
        return 0 if counts.get("succeeded", 0) == len(self.state.runs) and not self.errors else 7

    def to_json(self) -> dict[str, Any]:
        return {
            **self.state.to_json(),
            "stopped": self.stopped,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def _executor_options(project: Project, options: BatchOptions) -> tuple[str, ExecutorOptions]:
    settings = project.settings
    name = options.executor or settings.batch.executor or settings.runs.executor or "local"
    workers = options.workers or settings.batch.workers or (os.cpu_count() or 1)
    if workers < 1:
        raise InvalidInput(f"the number of runs at once must be 1 or more, got {workers}")
    if options.timeout is not None and options.timeout <= 0:
        raise InvalidInput(f"a run's time limit must be a positive number of seconds, got {options.timeout}")
    return name, ExecutorOptions(workers, options.scheduler or settings.batch.scheduler)


class _Heartbeat(threading.Thread):
    """Keeps the batch's lease fresh; a cancel requested through the store, or a lost lease, cancels."""

    def __init__(self, job: BatchJob) -> None:
        super().__init__(name="dsl-batch-heartbeat", daemon=True)
        self.job = job
        self.halt = threading.Event()

    def run(self) -> None:
        with RunStore(self.job.database) as runs:
            batches = BatchStore(runs)
            while not self.halt.wait(HEARTBEAT_S):
                mine, cancel = batches.heartbeat(self.job.batch_id, self.job.token)
                if cancel or not mine:
                    self.job.cancel("interrupted")


def _wait(done: threading.Event, job: BatchJob) -> str | None:
    """Wait for the executor; in the main thread, Ctrl-C / SIGTERM cancel the batch (once).

    Waits on an Event, not ``Thread.join``: a join interrupted by a signal can report a thread
    that is still running as finished (CPython < 3.13)."""
    if threading.current_thread() is not threading.main_thread():
        done.wait()
        return job.cancelled
    stopped: str | None = None
    try:
        with terminate_raises():
            while not done.wait(0.2):
                pass
    except KeyboardInterrupt:
        stopped = "interrupted"
    except Terminated:
        stopped = "killed"
    if stopped is not None:
        previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            job.cancel(stopped)
            done.wait()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    return stopped or job.cancelled


def run_batch(
    plan: BatchPlan, options: BatchOptions | None = None, *, observer: Observer | None = None
) -> BatchOutcome:
    """Run the plan's parameter sets (those without a succeeded run) and return the batch's state."""
    refuse_inside_run("start batches")
    from ..runs.execute import capture_context

    project = plan.base.project
    name, executor_options = _executor_options(project, options or BatchOptions())
    executor = open_executor(name, project, executor_options)  # fails before anything is written
    context = capture_context(plan.base)
    token = secrets.token_hex(8)
    todo = plan.to_run
    sets = [NewSet(identity, s.values, s.sources) for _, s, identity in todo]
    with RunStore(project.database_path) as runs:
        batches = BatchStore(runs)
        if plan.resume:
            batches.take_over(plan.batch_id, sets, token)
        else:
            batches.create(
                plan.batch_id,
                notebook=plan.base.relative,
                notebook_hash=plan.notebook_hash,
                kernel=plan.base.kernel,
                grid=plan.grid,
                options={
                    "executor": name,
                    "workers": executor_options.workers,
                    "timeout": (options or BatchOptions()).timeout,
                },
                sets=sets,
                token=token,
            )
        tasks = [
            RunTask(
                i,
                identity,
                replace(plan.base, parameters=s.values, sources=s.sources, batch_id=plan.batch_id),
            )
            for i, s, identity in todo
        ]
        job = BatchJob(
            batch_id=plan.batch_id,
            token=token,
            database=project.database_path,
            kernel=plan.base.kernel,
            notebook=plan.base.notebook,
            context=context,
            tasks=tasks,
            timeout=(options or BatchOptions()).timeout,
            observer=observer,
        )
        errors: list[str] = []

        done = threading.Event()

        def drive() -> None:
            try:
                executor.run(job)
            except DslError as exc:
                errors.append(exc.message)
                job.cancel("interrupted")
            except Exception as exc:  # the executor broke (a lost cluster, a bug): say so, stop the batch
                errors.append(f"the {name} executor failed: {type(exc).__name__}: {exc}")
                job.cancel("interrupted")
            finally:
                done.set()

        heartbeat = _Heartbeat(job)
        runner = threading.Thread(target=drive, name="dsl-batch-driver")
        heartbeat.start()
        runner.start()
        try:
            stopped = _wait(done, job)
        finally:
            heartbeat.halt.set()
            heartbeat.join()
            runner.join()
            cancelled = job.cancelled is not None or bool(errors)
            batches.finish(plan.batch_id, token, "cancelled" if cancelled else "finished")
        return BatchOutcome(
            batches.state(plan.batch_id), stopped, [*errors, *job.errors], list(context.warnings)
        )


def find_batch_id(project: Project, text: str) -> str:
    """The full id of the batch ``text`` names (its id or any unique part of it, as run ids)."""
    with RunStore(project.database_path) as runs:
        return BatchStore(runs).find_id(text)


def batch_state(project: Project, batch_id: str) -> BatchState:
    """A batch (its id or any unique part of it) as every surface shows it (queued / running /
    succeeded / failed, with timings)."""
    with RunStore(project.database_path) as runs:
        batches = BatchStore(runs)
        return batches.state(batches.find_id(batch_id))


def cancel_batch(project: Project, batch_id: str) -> None:
    """Ask a batch's driver (in any process) to cancel; it does so at its next heartbeat."""
    with RunStore(project.database_path) as runs:
        batches = BatchStore(runs)
        batches.request_cancel(batches.find_id(batch_id))
