"""Batches: a notebook rerun over a grid of parameter sets, every run in a fresh kernel, resumable.

``plan_batch`` validates everything (notebook, grid file, -f/-p, kernel, resume id) before anything
is written, and reads once what the runs share: the notebook's bytes and hash (``plan_run``) and the
run context (git, environment, issue link). ``begin_batch`` records the batch in the store and hands
the tasks to an executor (``local`` threads or ``dask``) in a thread of its own. A heartbeat thread
keeps the batch's lease fresh and picks up a cancel requested through the store (the server's, the
sidebar's). Batches are started, waited for and cancelled by the run service (``runs.service``): in
the foreground, Ctrl-C / SIGTERM cancel cleanly (queued runs are not started, running ones are
recorded as interrupted / killed, every kernel is killed).
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import hints
from ..errors import DslError, InvalidInput
from ..notebook import parameters
from ..project.settings import Project
from ..runs.execute import RunPlan, plan_run
from ..runs.prepare import RunContext, keep_runs_out_of_git, read_context
from ..runs.records import new_run_id, run_identity
from ..runs.shared_batches import share_batch_state
from ..runs.store import RunStore
from .executors import BatchJob, ExecutorOptions, RunTask, open_executor
from .executors.base import Executor, Observer
from .grid import GridSpec, ParameterSet, expand, read_grid
from .state import HEARTBEAT_S, BatchState, BatchStore, NewSet


@dataclass
class BatchPlan:
    """A validated batch. It carries what planning read, once: the notebook's bytes and hash (in
    ``base`` and ``context``: identities, claims, resume and every record use that one hash) and the
    captured run context (git state, environment, issue link) its runs share."""

    base: RunPlan  # the notebook, kernel and project every run shares; its bytes are what runs
    batch_id: str
    notebook_hash: str
    grid: dict[str, Any]
    sets: list[ParameterSet]
    identities: list[str]
    done: set[str] = field(default_factory=set)  # identities with a succeeded run (resume skips them)
    resume: bool = False
    context: RunContext | None = None  # read_context(base) when planned (None: read when it starts)

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
    notebook_hash = base.notebook_hash  # the bytes plan_run read: the runs execute these
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
    return BatchPlan(
        base, batch_id, notebook_hash, grid, sets, identities, done, resume is not None, read_context(base)
    )


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


class StartedBatch:
    """A batch recorded in the store whose executor runs in a thread of its own (``begin_batch``):
    ``done`` is set when the executor returned; ``finish`` records how it ended. Whoever waits for
    it (the run service, in the foreground or in a background thread) decides what cancels it."""

    def __init__(self, plan: BatchPlan, job: BatchJob, executor: Executor, name: str) -> None:
        self.plan, self.job, self.name = plan, job, name
        self.errors: list[str] = []  # the executor's own failures (not the runs')
        self.done = threading.Event()
        self._heartbeat = _Heartbeat(job)
        self._runner = threading.Thread(target=self._drive, args=(executor,), name="dsl-batch-driver")
        self._heartbeat.start()
        self._runner.start()

    def _drive(self, executor: Executor) -> None:
        try:
            executor.run(self.job)
        except DslError as exc:
            self.errors.append(exc.message)
            self.job.cancel("interrupted")
        except Exception as exc:  # the executor broke (a lost cluster, a bug): say so, stop the batch
            self.errors.append(f"the {self.name} executor failed: {type(exc).__name__}: {exc}")
            self.job.cancel("interrupted")
        finally:
            self.done.set()

    def finish(self, stopped: str | None) -> BatchOutcome:
        """After ``done`` (or to end it: the heartbeat stops, the executor is joined): the batch's
        final state. ``stopped``: the signal that cancelled it in the foreground, if one did."""
        self._heartbeat.halt.set()
        self._heartbeat.join()
        self._runner.join()
        cancelled = self.job.cancelled is not None or bool(self.errors)
        with RunStore(self.job.database) as runs:
            batches = BatchStore(runs)
            batches.finish(self.plan.batch_id, self.job.token, "cancelled" if cancelled else "finished")
            state = batches.state(self.plan.batch_id)
        warnings = list(self.job.context.warnings)
        shared = share_batch_state(self.plan.base.project, self.plan.batch_id)  # and end
        warnings += [shared] if shared is not None else []
        return BatchOutcome(state, stopped or self.job.cancelled, [*self.errors, *self.job.errors], warnings)


def begin_batch(
    plan: BatchPlan, options: BatchOptions | None = None, *, observer: Observer | None = None
) -> StartedBatch:
    """Record the batch in the store and start its executor; returns at once. Everything that can
    fail on bad options fails before anything is written. Only the run service calls this."""
    project = plan.base.project
    options = options or BatchOptions()
    name, executor_options = _executor_options(project, options)
    executor = open_executor(name, project, executor_options)  # fails before anything is written
    context = plan.context if plan.context is not None else read_context(plan.base)
    context = keep_runs_out_of_git(plan.base, context)  # the batch's first write
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
                options={"executor": name, "workers": executor_options.workers, "timeout": options.timeout},
                sets=sets,
                token=token,
            )
    shared = share_batch_state(project, plan.batch_id)  # a teammate's sync sees it start
    if shared is not None:
        context = replace(context, warnings=(*context.warnings, shared))
    tasks = [
        RunTask(
            i, identity, replace(plan.base, parameters=s.values, sources=s.sources, batch_id=plan.batch_id)
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
        timeout=options.timeout,
        observer=observer,
    )
    return StartedBatch(plan, job, executor, name)


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
