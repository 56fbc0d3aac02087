"""``/jupyter-dsl/story/{n}``: the story of Ask #n as data, for the main-area tab in JupyterLab.

The answer is ``jupyter_dsl.story``'s typed ``Story.to_json()``, scrubbed of secrets as the exported
story is, with every link made something Lab can open: ``path`` is an API path (None when the file
lies outside the server root), ``url`` only a web address, ``run`` the run id of an output notebook
(which Lab opens read-only through ``/runs/{id}/notebook``). Figures are described, not sent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...project.settings import Project
from ...story.collect import build_story, project_view
from ...story.export import project_redactor
from ...trackers import Tracker
from .. import payload
from .base import DslHandler

LINK_KEYS = frozenset({"text", "kind", "path", "url", "title"})
WEB_URL = re.compile(r"^https?://", re.IGNORECASE)


class StoryHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, number: str) -> None:
        wanted = payload.issue_number(number)
        start = self.query_path()

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            with project_view(project, tracker) as view:
                story = build_story(view, wanted)
            scrubbed = project_redactor(project).scrub_all(story.to_json())
            return {"story": self._openable(project.root, scrubbed), "path": self.api_path(project.root)}

        self.reply(await self.on_tracker(start, work))

    def _openable(self, root: Path, value: Any) -> Any:
        """``value`` with each link's path as an API path, unsafe URLs dropped, output notebooks' runs."""
        if isinstance(value, list):
            return [self._openable(root, item) for item in value]
        if not isinstance(value, dict):
            return value
        if set(value) == LINK_KEYS:
            path, url = value["path"], value["url"]
            target = Path(path) if isinstance(path, str) and os.path.isabs(path) else root / str(path)
            return {
                **value,
                "path": self.api_path(target) if isinstance(path, str) else None,
                "url": url if isinstance(url, str) and WEB_URL.match(url) else None,
                "run": value["text"] if value["kind"] == "output-notebook" else None,
            }
        return {key: self._openable(root, item) for key, item in value.items()}
