"""``/jupyter-dsl/pulls/{path}`` (POST): push the notebook's DSLP branch and open (or reuse) its pull
request on the forge, as ``jupyter dsl pr`` does (``pulls.open_pull``)."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...errors import InvalidInput
from ...issues import pulls
from ...project.settings import Project
from ...trackers import Tracker
from .. import payload
from .base import DslHandler


class PullHandler(DslHandler):
    @web.authenticated
    @authorized
    async def post(self, api_path: str) -> None:
        data = payload.parse_object(self.request.body, ("draft",))
        draft = data.get("draft", False)
        if not isinstance(draft, bool):
            raise InvalidInput("field 'draft' must be true or false")
        notebook = self.resolve(api_path)

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            return pulls.open_pull(project, tracker, notebook, draft=draft).to_json()

        self.reply(await self.on_tracker(notebook, work))
