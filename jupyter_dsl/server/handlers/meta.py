"""``/jupyter-dsl/version``, ``/jupyter-dsl/project`` (read, or make one: POST),
``/jupyter-dsl/templates`` and ``/jupyter-dsl/openapi/{file}`` (the REST API's own description)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..._version import __version__
from ...errors import InvalidInput, NotFound
from ...project.scaffold import init_project
from ...project.settings import find_project
from ...project.summary import summarize
from .. import payload
from ..serialize import templates_json
from .base import DslHandler

OPENAPI = Path(__file__).parents[1] / "openapi"  # the description's files, shipped in the package


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


class OpenApiHandler(DslHandler):
    """A file of the OpenAPI description of these routes, as shipped (start at ``openapi.yaml``; its
    references to the other files are relative, so they resolve to this route too). Read-only."""

    @web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        files = {path.name: path for path in OPENAPI.glob("*.yaml")}
        if name not in files:
            raise NotFound(f"the OpenAPI description has no file {name!r}", hint="Start at openapi.yaml.")
        self.finish(await self.blocking(files[name].read_bytes), set_content_type="application/yaml")
