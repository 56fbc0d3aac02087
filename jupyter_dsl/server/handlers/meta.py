"""``/jupyter-dsl/version``, ``/jupyter-dsl/project`` and ``/jupyter-dsl/templates``."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..._version import __version__
from ...project import find_project
from ...project_summary import summarize
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


class TemplatesHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.reply(templates_json())
