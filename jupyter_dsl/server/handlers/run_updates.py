"""``/jupyter-dsl/runs/{id}/rerun``, ``/jupyter-dsl/run-stamp`` and ``/jupyter-dsl/chart``.

The stamp is what the sidebar polls to learn that runs were recorded elsewhere (the CLI, a batch, a
magic) without fetching the list; the chart is a metric against a parameter as data (the sidebar
draws it in the theme's colours) or as the PNG of ``jupyter dsl plot``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...batch.plot import chart_data, chart_figure, figure_png
from ...errors import InvalidInput
from ...project.settings import find_project
from ...runs.rerun import rerun
from ...runs.store import RunQuery, RunStore, notebook_key
from .base import DslHandler
from .runs import json_safe

FORMATS = ("json", "png")
T = TypeVar("T")


async def in_own_thread(func: Callable[[], T]) -> T:
    """``func()`` in a new plain thread. A run starts a kernel through jupyter_client's sync API,
    which fails in an ``asyncio.to_thread`` worker ("This event loop is already running")."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.cancelled():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def target() -> None:
        try:
            result = func()
        except BaseException as exc:  # handed to the awaiting handler, which maps it to a reply
            loop.call_soon_threadsafe(settle, None, exc)
        else:
            loop.call_soon_threadsafe(settle, result, None)

    threading.Thread(target=target, name="dsl-rerun", daemon=True).start()
    return await future


class RerunHandler(DslHandler):
    @web.authenticated
    @authorized
    async def post(self, run_id: str) -> None:
        start = self.query_path()  # optional ?path=: where to look for the project (default: the root)

        def work() -> dict[str, Any]:
            return rerun(find_project(start), run_id).to_json()

        self.reply(json_safe(await in_own_thread(work)), status=201)


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
