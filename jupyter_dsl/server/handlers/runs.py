"""``/jupyter-dsl/params/{path}``, ``/jupyter-dsl/runs`` and ``/jupyter-dsl/runs/{id}`` (all read-only).

What the Lifecycle sidebar shows of a notebook's parameters cell and of its recorded runs; the same
core calls as ``jupyter dsl params`` and ``jupyter dsl runs [show] --json``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...errors import InvalidInput
from ...notebook import parameters
from ...project.settings import find_project
from ...runs import STATUSES, RunQuery, RunRecord
from ...runs.listing import list_runs, show_run
from ...runs.store import MetricFilter, notebook_key
from .base import DslHandler

DEFAULT_LIMIT = 20
MAX_LIMIT = 2**63 - 1  # SQLite's INTEGER
FILE_URL = "file://"


def parse_status(text: str | None) -> str | None:
    if not text:
        return None
    if text not in STATUSES:
        raise InvalidInput(f"unknown run status {text!r}", hint=f"Use one of {', '.join(STATUSES)}.")
    return text


def parse_limit(text: str) -> int | None:
    """``?limit=``: a count of runs, 0 for all (None)."""
    if not text.isascii() or not text.isdigit() or int(text) > MAX_LIMIT:
        raise InvalidInput(f"limit must be a whole number of runs (0 for all), not {text!r}")
    return int(text) or None


def json_safe(value: Any) -> Any:
    """``value`` with NaN and infinities as null: a browser's JSON.parse refuses them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    return value


class ParamsHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, api_path: str) -> None:
        notebook = self.resolve(api_path)
        shown = self.normalized(api_path)

        def work() -> dict[str, Any]:
            cell = parameters.inspect(notebook)
            return cell.to_json() | {
                "path": shown,  # the API path; the core's is absolute
                "notes": [self.public_text(note) for note in cell.notes],
            }

        self.reply(await self.blocking(work))


class RunsHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        notebook = self.notebook_query("the run list")
        status = parse_status(self.get_query_argument("status", None))
        limit = parse_limit(self.get_query_argument("limit", str(DEFAULT_LIMIT)))
        # ?where=auc>0.9 (repeatable, all must hold): the metric filters of `jupyter dsl runs --where`
        metrics = [MetricFilter.parse(text) for text in self.get_query_arguments("where")]
        batch = self.get_query_argument("batch", None) or None  # a batch's id or a unique part of it

        def work() -> dict[str, Any]:
            project = find_project(notebook)
            query = RunQuery(
                notebook=notebook_key(project, notebook),
                status=status,
                batch_id=batch,
                metrics=metrics,
                limit=limit,
            )
            return list_runs(project.database_path, query).to_json()

        self.reply(json_safe(await self.blocking(work)))


class RunHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        start = self.query_path()  # optional ?path=: where to look for the project (default: the root)

        def work() -> dict[str, Any]:
            record = show_run(find_project(start).database_path, run_id)
            return {"run": record.to_json(), "output": self.output_path(record)}

        self.reply(json_safe(await self.blocking(work)))

    def output_path(self, record: RunRecord) -> str | None:
        """The API path of the run's output notebook; None when it is not a file inside the root."""
        url = record.output_notebook
        if url is None or not url.startswith(FILE_URL):
            return None
        return self.api_path(Path(url.removeprefix(FILE_URL)))
