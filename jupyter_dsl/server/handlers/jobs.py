"""``/jupyter-dsl/jobs``: start a recorded run of a notebook in the server's executor (POST), and
list the runs the server started with their state (GET).

POST validates everything first (``plan_run``: the notebook, its parameters cell, the values typed
in the sidebar's form, the config files, the kernel): bad input is an error and nothing runs. The
run then executes in a worker thread; its record is in the run index from the start.
"""

from __future__ import annotations

from typing import Any, cast

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...errors import InvalidInput
from ...project.settings import find_project
from ...runs.execute import plan_run
from .. import payload
from ..run_jobs import RunJobs
from .base import DslHandler

SETTING = "jupyter_dsl_run_jobs"
FIELDS = ("path", "set", "config")


def run_jobs(settings: dict[str, Any]) -> RunJobs:
    """The server's one job registry (the extension makes it with its settings)."""
    return cast(RunJobs, settings[SETTING])


def _texts(data: dict[str, Any]) -> list[tuple[str, str]]:
    value = data.get("set") or {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InvalidInput("field 'set' must be an object of parameter name -> the value as typed (text)")
    return list(value.items())


def _paths(data: dict[str, Any]) -> list[str]:
    value = data.get("config") or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput("field 'config' must be a list of config file paths")
    return value


class JobsHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        api_path = self.get_query_argument("path", "")
        shown = self.normalized(api_path) if api_path else None
        if api_path:
            self.resolve(api_path)  # confined like every path
        self.reply({"jobs": run_jobs(self.settings).list(shown)})

    @web.authenticated
    @authorized
    async def post(self) -> None:
        data = payload.parse_object(self.request.body, FIELDS)
        api_path = payload.required_str(data, "path")
        notebook = self.resolve(api_path)
        overrides = _texts(data)
        configs = [self.resolve(p) for p in _paths(data)]

        def plan() -> Any:
            return plan_run(find_project(notebook), notebook, config_files=configs, overrides=overrides)

        planned = await self.blocking(plan)
        job = run_jobs(self.settings).start(planned, self.normalized(api_path), self.error_body)
        self.reply({"job": job.to_json()}, status=202)
