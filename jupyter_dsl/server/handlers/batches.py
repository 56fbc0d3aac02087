"""``/jupyter-dsl/batches...``: preview a grid, start a batch, follow it, list a notebook's, cancel;
``/jupyter-dsl/grids/{path}``: a grid file as the sidebar's grid editor holds it.

A batch started here runs in the background of the server's run service (``runs.service``);
its state lives in the run store, so a reloaded browser, a second tab and ``jupyter dsl batches`` all
read the same truth, and a cancel goes through the store to the driver's heartbeat.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...batch.driver import BatchOptions, BatchOutcome, BatchPlan, batch_state, cancel_batch, plan_batch
from ...batch.grid import GridProblems, editor_form, editor_grid, load_grid
from ...batch.state import BatchStore
from ...errors import InvalidInput
from ...project.settings import find_project
from ...runs.jobs import Job, Observer
from ...runs.store import RunStore, notebook_key
from ...runs.table import varying
from .. import payload
from .base import DslHandler
from .jobs import run_service
from .runs import json_safe

FIELDS = ("path", "grid", "parameters", "matrix", "workers", "timeout")


def _grid(data: dict[str, Any]) -> dict[str, Any]:
    grid = data.get("grid")
    if not isinstance(grid, dict):
        raise InvalidInput("field 'grid' must be an object of parameter name -> values (a list, or text)")
    return grid


def _fixed(data: dict[str, Any]) -> dict[str, Any]:
    fixed = data.get("parameters") or {}
    if not isinstance(fixed, dict):
        raise InvalidInput("field 'parameters' must be an object of parameter name -> value")
    return fixed


def _matrix(data: dict[str, Any]) -> list[Any]:
    matrix = data.get("matrix") or []
    if not isinstance(matrix, list):
        raise InvalidInput("field 'matrix' must be a list of parameter sets (objects of name -> value)")
    return matrix


def _options(data: dict[str, Any], max_workers: int) -> BatchOptions:
    workers = data.get("workers", 0)
    if isinstance(workers, bool) or not isinstance(workers, int) or not 0 <= workers <= max_workers:
        given = json.dumps(workers)
        raise InvalidInput(
            f"field 'workers' must be a whole number from 1 to {max_workers} (0: the default), not {given}",
            hint="Workers is how many runs of the batch run at once.",
        )
    timeout = data.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))):
        raise InvalidInput("field 'timeout' must be a number of seconds")
    return BatchOptions(workers=workers, timeout=float(timeout) if timeout is not None else None)


class _Logged(Observer):
    """A batch the sidebar started: what went wrong in its driver goes to the server's log."""

    def __init__(self, log: Any) -> None:
        self.log = log

    def on_finish(self, job: Job) -> None:
        outcome = job.result
        if job.error is not None:
            self.log.error("jupyter-dsl batch driver failed: %s", job.error, exc_info=job.error)
        elif isinstance(outcome, BatchOutcome) and outcome.errors:
            self.log.warning("jupyter-dsl batch %s: %s", outcome.state.id, "; ".join(outcome.errors))


class BatchHandlerBase(DslHandler):
    def plan(self, notebook: Path, data: dict[str, Any]) -> BatchPlan:
        """Validate and expand the grid (no kernel starts, nothing is written)."""
        spec = editor_grid(_grid(data), _fixed(data), _matrix(data))
        return plan_batch(find_project(notebook), notebook, None, spec=spec)

    def body(self) -> tuple[Path, dict[str, Any]]:
        data = payload.parse_object(self.request.body, FIELDS)
        return self.resolve(payload.required_str(data, "path")), data


class BatchPreviewHandler(BatchHandlerBase):
    @web.authenticated
    @authorized
    async def post(self) -> None:
        notebook, data = self.body()
        _options(data, self.limits.max_workers)

        def work() -> dict[str, Any]:
            try:
                plan = self.plan(notebook, data)
            except GridProblems as exc:
                hint = self.public_text(exc.hint) if exc.hint else None
                return {"count": 0, "sets": [], "varying": [], "errors": exc.problems, "hint": hint}
            sets = [
                {"parameters": s.values, "identity": i}
                for s, i in zip(plan.sets, plan.identities, strict=True)
            ]
            return {
                "count": len(sets),
                "sets": sets[: self.limits.preview_sets],
                "varying": varying([s.values for s in plan.sets]),
                "errors": [],
                "hint": None,
            }

        self.reply(json_safe(await self.blocking(work)))


class BatchesHandler(BatchHandlerBase):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        notebook = self.notebook_query("the batch list")
        listed = self.limits.batches_listed

        def work() -> dict[str, Any]:
            project = find_project(notebook)
            with RunStore(project.database_path) as runs:
                return {"batches": BatchStore(runs).list(listed, notebook=notebook_key(project, notebook))}

        self.reply(await self.blocking(work))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        notebook, data = self.body()
        options = _options(data, self.limits.max_workers)
        service, logged = run_service(self.settings), _Logged(self.log)

        def work() -> dict[str, Any]:
            job = service.start_batch(lambda: self.plan(notebook, data), options, observer=logged)
            return batch_state(find_project(notebook), str(job.batch_id)).to_json()

        self.reply(json_safe(await self.blocking(work)), status=202)


class BatchHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, batch_id: str) -> None:
        start = self.query_path()  # optional ?path=: where to look for the project (default: the root)
        state = await self.blocking(lambda: batch_state(find_project(start), batch_id))
        self.reply(json_safe(state.to_json()))


class BatchCancelHandler(DslHandler):
    @web.authenticated
    @authorized
    async def post(self, batch_id: str) -> None:
        start = self.query_path()

        def work() -> dict[str, Any]:
            project = find_project(start)
            cancel_batch(project, batch_id)  # the driver stops at its next heartbeat
            return batch_state(project, batch_id).to_json()

        self.reply(json_safe(await self.blocking(work)))


class GridFileHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, api_path: str) -> None:
        grid_file = self.resolve(api_path)
        shown = self.normalized(api_path)

        def work() -> dict[str, Any]:
            return {"path": shown, **editor_form(load_grid(grid_file)).to_json()}

        self.reply(json_safe(await self.blocking(work)))
