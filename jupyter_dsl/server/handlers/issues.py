"""``/jupyter-dsl/issues`` (list, create) and ``/jupyter-dsl/issues/{n}`` (show)."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...dslp.issue_types import IssueType
from ...errors import InvalidInput
from ...issues.create import issue_with_ask, new_issue
from ...notebook.links import link_for
from ...project.settings import Project
from ...trackers import IssueQuery, Tracker
from ...trackers.base import StateFilter
from .. import payload
from .base import DslHandler

STATES: tuple[StateFilter, ...] = ("open", "closed", "all")
CREATE_FIELDS = ("path", "type", "title", "ask", "experiment", "sections", "variant")


def _query(issue_type: str | None, state: str, labels: list[str]) -> IssueQuery:
    if state not in STATES:
        raise InvalidInput(f"unknown state {state!r}", hint="Use open, closed or all.")
    kind = IssueType.parse(issue_type) if issue_type else None
    chosen: StateFilter = next(s for s in STATES if s == state)
    return IssueQuery(type=kind, state=chosen, labels=tuple(labels))


class IssuesHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        start = self.query_path()
        query = _query(
            self.get_query_argument("type", None) or None,
            self.get_query_argument("state", "open"),
            self.get_query_arguments("label"),
        )

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            return {"issues": [issue.to_json() for issue in tracker.list(query)]}

        self.reply(await self.on_tracker(start, work))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        data = payload.parse_object(self.request.body, CREATE_FIELDS)
        start = self.resolve(payload.optional_str(data, "path") or "")
        issue_type = IssueType.parse(payload.required_str(data, "type"))
        title = payload.required_str(data, "title")
        ask = payload.optional_number(data, "ask")
        experiment = payload.optional_number(data, "experiment")
        sections = payload.optional_sections(data, "sections")
        variant = payload.optional_str(data, "variant")

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            issue = new_issue(
                tracker, issue_type, title, ask=ask, experiment=experiment, sections=sections, variant=variant
            )
            return {"issue": issue.to_json(), "link": link_for(issue).to_json()}

        self.reply(await self.on_tracker(start, work), status=201)


class IssueHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, number: str) -> None:
        wanted = payload.issue_number(number)
        start = self.query_path()

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            found = issue_with_ask(tracker, wanted)
            return {**found.to_json(), "link": link_for(found.issue).to_json()}

        self.reply(await self.on_tracker(start, work))
