"""``/jupyter-dsl/issues/{n}/versions``: the dataset versions of a Data issue (with the runs that read
each) and the model versions saved by its runs; ``/jupyter-dsl/runs/{id}/models``: a run's models."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...data.linked_versions import issue_versions, run_versions
from ...project.settings import Project, find_project
from ...runs.store import RunStore
from .. import payload
from .base import DslHandler


def _run_id(project: Project, text: str) -> str:
    with RunStore(project.database_path) as runs:
        return runs.find_id(text)


class IssueVersionsHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, number: str) -> None:
        wanted = payload.issue_number(number)
        project = await self.blocking(find_project, self.query_path())
        found = await self.blocking(issue_versions, project, wanted)
        self.reply(found.to_json())


class RunModelsHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, run: str) -> None:
        project = await self.blocking(find_project, self.query_path())
        run_id = await self.blocking(_run_id, project, run)
        found = await self.blocking(run_versions, project, run_id)
        self.reply(found.to_json())
