"""``/jupyter-dsl/branch/{path}``: the notebook's DSLP branch (GET) and switching git to it (POST).

POST is ``jupyter dsl branch NOTEBOOK``: it creates the branch from ``[branches] base`` when it does
not exist, and refuses (409) when uncommitted changes cannot travel, unless ``force`` (they are then
stashed, and the answer says how to get them back). The link is read from the saved notebook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...errors import InvalidInput
from ...notebook import links
from ...project import gitrepo
from ...project.settings import Project
from ...trackers import Tracker
from .. import payload
from .base import DslHandler


class BranchHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, api_path: str) -> None:
        notebook = self.resolve(api_path)

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            state = links.status(project, tracker, notebook)
            expected = state.expected_branch
            root = project.root
            exists = expected is not None and gitrepo.is_repo(root) and gitrepo.branch_exists(root, expected)
            return {"current": state.current_branch, "expected": expected, "exists": exists}

        self.reply(await self.on_tracker(notebook, work))

    @web.authenticated
    @authorized
    async def post(self, api_path: str) -> None:
        data = payload.parse_object(self.request.body or b"{}", ("force",))
        force = data.get("force", False)
        if not isinstance(force, bool):
            raise InvalidInput("field 'force' must be true or false")
        notebook: Path = self.resolve(api_path)

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            result = links.switch_branch(project, tracker, notebook, force=force)
            return {
                "branch": result.branch,
                "created": result.created,
                "base": result.base,
                "previous": result.previous,
                "stash_note": result.stash_note,
            }

        self.reply(await self.on_tracker(notebook, work))
