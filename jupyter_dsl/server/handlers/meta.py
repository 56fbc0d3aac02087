"""``/jupyter-dsl/version``, ``/jupyter-dsl/project`` (read, or make one: POST) and
``/jupyter-dsl/templates``."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..._version import __version__
from ...errors import InvalidInput
from ...project import find_project
from ...project_summary import summarize
from ...scaffold import init_project
from .. import payload
from ..serialize import templates_json
from .base import DslHandler


class VersionHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.reply({"version": __version__})


class ProjectHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        start = self.query_path()
        project = await self.blocking(find_project, start)
        summary = await self.blocking(summarize, project)
        self.reply(summary.to_json(self.api_path))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        """Make a folder a DSLP project, as `jupyter dsl init FOLDER [--templates]` does (never
        overwriting a file; committing only in a repository it makes, only the files it writes)."""
        data = payload.parse_object(self.request.body, ("path", "templates"))
        folder = self.resolve(payload.required_str(data, "path"))
        templates = payload.flag(data, "templates", False)
        if not folder.is_dir():
            shown = self.api_path(folder)
            raise InvalidInput(f"{shown} is not a folder", hint="Give the folder to make a DSLP project of.")

        def work() -> dict[str, Any]:
            report = init_project(folder, templates=templates, commit=True)
            summary = summarize(find_project(report.root))
            return {"report": report.to_json(self.api_path), "project": summary.to_json(self.api_path)}

        self.reply(await self.blocking(work))


class TemplatesHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.reply(templates_json())
