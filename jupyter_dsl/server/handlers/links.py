"""``/jupyter-dsl/links/{path}``: a notebook's link to its issue (GET, PUT, DELETE), and
``/jupyter-dsl/links/{path}/prepare`` (POST): the link for an open notebook, its Ask updated.

PUT and DELETE write the file (only ``metadata.jupyter_dsl`` changes, atomically); they are for
notebooks that are not open in an editor. ``path`` in the answer is the notebook's API path.
Prepare writes no file: it lists the issue in its Ask (as ``jupyter dsl link`` does) and answers the
link, which the editor applies to its open document.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...notebook import links
from ...project.settings import Project
from ...trackers import Tracker
from .. import payload
from .base import DslHandler

Change = Callable[[Tracker, Path], object]


class LinkHandler(DslHandler):
    async def _answer(self, api_path: str, change: Change | None = None) -> None:
        """Apply ``change`` to the notebook (in a worker thread), then answer its LinkStatus."""
        notebook = self.resolve(api_path)
        shown = self.normalized(api_path)

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            if change is not None:
                change(tracker, notebook)
            state = links.status(project, tracker, notebook).to_json()
            state["path"] = shown  # the API path; the core's is relative to the project root
            if state["issue_error"]:
                state["issue_error"] = self.public_text(state["issue_error"])
            return state

        self.reply(await self.on_tracker(notebook, work))

    @web.authenticated
    @authorized
    async def get(self, api_path: str) -> None:
        await self._answer(api_path)

    @web.authenticated
    @authorized
    async def put(self, api_path: str) -> None:
        data = payload.parse_object(self.request.body, ("number",))
        number = payload.required_number(data, "number")
        await self._answer(api_path, lambda tracker, notebook: links.link(tracker, notebook, number))

    @web.authenticated
    @authorized
    async def delete(self, api_path: str) -> None:
        await self._answer(api_path, lambda _tracker, notebook: links.unlink(notebook))


class PrepareLinkHandler(DslHandler):
    @web.authenticated
    @authorized
    async def post(self, api_path: str) -> None:
        data = payload.parse_object(self.request.body, ("number",))
        number = payload.required_number(data, "number")
        notebook = self.resolve(api_path)

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            previous = links.previous_link(notebook)  # validates the file before the tracker is asked
            issue = tracker.get(number)
            new = links.prepare_link(tracker, issue, previous, notebook)
            return {"issue": issue.to_json(), "link": new.to_json()}

        self.reply(await self.on_tracker(notebook, work))
