"""``/jupyter-dsl/runs/{id}/rerun`` (a job of the server's run service), ``/jupyter-dsl/run-stamp`` and
``/jupyter-dsl/chart``.

The stamp is what the sidebar polls to learn that runs were recorded elsewhere (the CLI, a batch, a
magic) without fetching the list; the chart is a metric against a parameter as data (the sidebar
draws it in the theme's colours) or as the PNG of ``jupyter dsl plot``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...batch.plot import chart_data, chart_figure, figure_png
from ...errors import InvalidInput
from ...project.settings import find_project
from ...runs.jobs import Job
from ...runs.store import RunQuery, RunStore, notebook_key
from .base import DslHandler
from .jobs import job_json, run_service
from .runs import json_safe

FORMATS = ("json", "png")


class RerunHandler(DslHandler):
    @web.authenticated
    @authorized
    async def post(self, run_id: str) -> None:
        """A rerun is a job like a run: validated here, then executed in the server's run service;
        the answer comes at once, and the sidebar follows the job (GET /jupyter-dsl/jobs)."""
        start = self.query_path()  # optional ?path=: where to look for the project (default: the root)
        service = run_service(self.settings)

        def work() -> Job:
            return service.start_rerun(find_project(start), run_id, path=self.api_path)

        job = await self.blocking(work)
        self.reply({"job": job_json(self, job)}, status=202)


class RunStampHandler(DslHandler):
    def notebook(self) -> Path:
        return self.notebook_query("this route")

    @web.authenticated
    @authorized
    async def get(self) -> None:
        notebook = self.notebook()

        def work() -> dict[str, Any]:
            project = find_project(notebook)
            with RunStore(project.database_path) as store:
                return {"stamp": store.stamp(RunQuery(notebook=notebook_key(project, notebook)))}

        self.reply(await self.blocking(work))


class ChartHandler(RunStampHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        notebook = self.notebook()
        x = self.get_query_argument("x", "")
        y = self.get_query_argument("y", "")
        batch = self.get_query_argument("batch", "") or None
        fmt = self.get_query_argument("format", "json")
        if not x or not y:
            raise InvalidInput("a chart needs ?x=PARAMETER&y=METRIC")
        if fmt not in FORMATS:
            raise InvalidInput(f"unknown chart format {fmt!r}", hint="Use json or png.")

        def work() -> dict[str, Any] | bytes:
            project = find_project(notebook)
            key = notebook_key(project, notebook)
            query = RunQuery(notebook=key, batch_id=batch)
            chart = chart_data(project.database_path, query, x, y, key)  # a batch is named by its id
            return figure_png(chart_figure(chart)) if fmt == "png" else chart.to_json()

        answer = await self.blocking(work)
        if isinstance(answer, bytes):
            self.set_status(200)
            self.finish(answer, set_content_type="image/png")
        else:
            self.reply(json_safe(answer))
