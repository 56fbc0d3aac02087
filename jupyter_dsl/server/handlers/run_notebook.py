"""``/jupyter-dsl/runs/{id}/notebook``: a run's output notebook, read-only, from the artifact store.

The sidebar opens it in a read-only notebook view. The file is found through the run record and the
project's artifact store (which may be hidden under ``.dsl/`` or remote), not through a client path.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...project.settings import find_project
from ...runs.listing import show_run
from ...runs.output_notebook import read_output_notebook
from .base import DslHandler
from .runs import json_safe


class RunNotebookHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        start = self.query_path()  # optional ?path=: where to look for the project (default: the root)

        def work() -> dict[str, Any]:
            project = find_project(start)
            record = show_run(project.database_path, run_id)
            return dict(read_output_notebook(project, record))

        self.reply(json_safe(await self.blocking(work)))
