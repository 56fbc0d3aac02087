"""``/jupyter-dsl/sync``: GET whether the project's local issues can sync with a git remote and when they
last did; POST syncs them as ``jupyter dsl sync`` does (``issues.sync.sync_project``), in a thread.

The answer names issues and the remote only: never its URL (it may hold a token) nor a store's."""

from __future__ import annotations

import re
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...errors import Conflict, DslError
from ...issues.sync import ProjectSync, sync_project
from ...issues.sync_status import sync_status
from ...project.settings import Project, find_project
from ...trackers.gitrefs.sync import Moved
from .. import payload
from .base import DslHandler


def _moved(moved: list[Moved]) -> list[dict[str, Any]]:
    return [{"number": m.number, "title": m.title, "how": m.how} for m in moved]


def sync_reply(result: ProjectSync, last_sync: str | None) -> dict[str, Any]:
    issues = result.issues
    runs = getattr(result.runs, "runs", None)
    return {
        "remote": issues.remote,
        "came_in": _moved(issues.came_in),
        "went_out": _moved(issues.went_out),
        "renumbered": [{"old": old, "new": new, "title": title} for old, new, title in issues.renumbered],
        "refused": [{"issue": issue, "why": why} for issue, why in sorted(issues.refused.items())],
        "lines": issues.lines(),
        "runs_indexed": len(runs) if isinstance(runs, list) else None,
        "last_sync": last_sync,
    }


USERINFO = re.compile(r"(\w[\w+.-]*://)[^/@\s]+@")  # user:token@ in a URL git quotes


def without_credentials(text: str) -> str:
    """``text`` with the user and password of every URL in it left out."""
    return USERINFO.sub(r"\1", text)


def _sync(project: Project, remote: str | None) -> dict[str, Any]:
    try:
        result = sync_project(project, remote)
    except DslError as exc:  # git's own words may quote the remote's URL
        exc.message = without_credentials(exc.message)
        raise
    if result.issues.push_error:  # as the CLI: what came in stays, nothing went out, the next sync sends it
        raise Conflict(
            without_credentials(f"{result.issues.remote} refused the push: {result.issues.push_error}"),
            hint="Fix what git says, then sync again.",
        )
    return sync_reply(result, sync_status(project).last_sync)


class SyncHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = await self.blocking(find_project, self.query_path())
        status = await self.blocking(sync_status, project)
        self.reply(status.to_json())

    @web.authenticated
    @authorized
    async def post(self) -> None:
        data = payload.parse_object(self.request.body, ("path", "remote"))
        start = self.resolve(payload.optional_str(data, "path") or "")
        remote = payload.optional_str(data, "remote")
        project = await self.blocking(find_project, start)
        self.reply(await self.blocking(_sync, project, remote))
