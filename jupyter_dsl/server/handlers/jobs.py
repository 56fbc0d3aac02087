"""``/jupyter-dsl/jobs``: start a recorded run of a notebook in the server's run service (POST), and
list the runs and reruns the server started with their state (GET).

POST validates everything first (``plan_run``: the notebook, its parameters cell, the values typed
in the sidebar's form, the config files, the kernel): bad input is an error and nothing runs. The
run then executes in the background of the server's one run service (``runs.service``, kept for the
server's life); its record is in the run index from the start.
"""

from __future__ import annotations

from typing import Any, cast

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...errors import InvalidInput
from ...project.settings import find_project
from ...runs.execute import plan_run
from ...runs.jobs import Job
from ...runs.service import RunService
from .. import payload
from .base import DslHandler
from .runs import json_safe

SETTING = "jupyter_dsl_run_service"
FIELDS = ("path", "set", "config")
LISTED_KINDS = ("run", "rerun")  # a batch is followed through /jupyter-dsl/batches


def run_service(settings: dict[str, Any]) -> RunService:
    """The server's one run service (the extension makes it with its settings, shuts it down on stop)."""
    return cast(RunService, settings[SETTING])


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


def job_json(handler: DslHandler, job: Job) -> Any:
    """A job as the sidebar reads it (an error as the server words errors)."""
    return json_safe(job.to_json(handler.error_body))


class JobsHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        api_path = self.get_query_argument("path", "")
        shown = self.normalized(api_path) if api_path else None
        if api_path:
            self.resolve(api_path)  # confined like every path
        jobs = run_service(self.settings).jobs(shown, LISTED_KINDS)
        self.reply({"jobs": [job_json(self, job) for job in jobs]})

    @web.authenticated
    @authorized
    async def post(self) -> None:
        data = payload.parse_object(self.request.body, FIELDS)
        api_path = payload.required_str(data, "path")
        notebook = self.resolve(api_path)
        overrides = _texts(data)
        configs = [self.resolve(p) for p in _paths(data)]
        service = run_service(self.settings)

        def start() -> Job:
            def plan() -> Any:
                return plan_run(find_project(notebook), notebook, config_files=configs, overrides=overrides)

            return service.start_run(plan, path=self.normalized(api_path))

        job = await self.blocking(start)
        self.reply({"job": job_json(self, job)}, status=202)
