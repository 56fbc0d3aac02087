"""``/jupyter-dsl/findings/{path}`` and ``/jupyter-dsl/goals/{path}``: the sidebar's Findings section.

GET findings: the summary of the saved notebook (what ``jupyter dsl findings`` would write), rendered
as ``md`` or ``html``, with its goals and the findings captured so far. POST findings: complete the
notebook's issue (``jupyter dsl complete``); ``{"dry_run": true}`` only reports the steps, with what
exactly each would write or post. The notebook's own status is not written here: the answer's
``link`` is what the sidebar sets in the open document (the file stays as it is).
Goals: GET lists them, POST ``{"question"}`` adds one, PUT ``{"number", "done"}`` ticks one.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...errors import InvalidInput, NotFound
from ...findings.complete import OUTCOMES, plan_completion
from ...findings.export import project_of, render_notebook_summary
from ...findings.goals import add_goal, goals_of, tick_goal
from ...findings.render import FORMATS
from ...findings.summary import Summary
from ...notebook.document import NotebookLink, get_link
from ...project.settings import Project
from ...trackers import Issue, Tracker
from .. import payload
from .base import DslHandler

COMPLETE_FIELDS = ("dry_run", "outcome", "promote")


def _summary_json(summary: Summary, text: str, to: str) -> dict[str, Any]:
    return {
        "title": summary.title,
        "tldr": summary.tldr,
        "explicit_tldr": summary.explicit_tldr,
        "issue": summary.link.issue.number if summary.link else None,
        "type": summary.issue.type.value if summary.issue and summary.issue.type else None,
        "goals": [goal.__dict__ for goal in summary.goals],
        "insights": [
            {
                "title": i.title,
                "cell": i.cell + 1,  # as JupyterLab numbers cells
                "cell_index": i.cell,
                "answers": i.answers,
                "artifacts": len(i.artifacts),
            }
            for i in summary.insights
        ],
        "format": to,
        "text": text,
    }


def _goals_json(issue: Issue) -> dict[str, Any]:
    return {
        "issue": issue.number,
        "goals": [{"number": g.number, "text": g.text, "done": g.done} for g in goals_of(issue)],
    }


class FindingsHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, api_path: str) -> None:
        notebook = self.resolve(api_path)
        to = self.get_query_argument("to", "html")
        if to not in FORMATS:
            raise InvalidInput(f"unknown summary format {to!r}", hint="Use md or html.")

        def work() -> dict[str, Any]:
            project = project_of(notebook)
            with ExitStack() as borrowed:

                def tracker() -> Tracker:  # borrowed only when the summary needs the issue
                    assert project is not None
                    return borrowed.enter_context(self.trackers.lease(project))

                summary, rendered = render_notebook_summary(
                    notebook, to, project=project, tracker=tracker if project else None
                )
            return _summary_json(summary, rendered.text, to)

        self.reply(await self.blocking(work))

    @web.authenticated
    @authorized
    async def post(self, api_path: str) -> None:
        data = payload.parse_object(self.request.body, COMPLETE_FIELDS)
        dry_run = payload.flag(data, "dry_run", False)
        promote = payload.flag(data, "promote", True)
        outcome = payload.optional_str(data, "outcome")
        if outcome is not None and outcome not in OUTCOMES:
            raise InvalidInput(f"unknown outcome {outcome!r}", hint="Use succeeded or failed.")
        notebook = self.resolve(api_path)
        shown = self.normalized(api_path)

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            completed: list[NotebookLink] = []
            keep: Callable[[Path, NotebookLink], None] = lambda _path, link: completed.append(link)  # noqa: E731
            plan = plan_completion(
                project, tracker, notebook, outcome=outcome, promote=promote, apply_link=keep, shown=shown
            )
            done = plan.complete(dry_run=dry_run)
            saved = get_link(notebook)
            return {
                **done.to_json(),
                "issue": tracker.get(plan.issue.number).to_json(),
                "notes": [self.public_text(note) for note in done.notes],
                "summary_path": self.api_path(done.summary_path) if done.summary_path is not None else None,
                # what the sidebar sets in the open notebook (null: nothing to set)
                "link": completed[0].to_json() if completed else None,
                "saved_status": saved.status if saved else None,
            }

        self.reply(await self.on_tracker(notebook, work))


class GoalsHandler(DslHandler):
    async def _answer(self, api_path: str, change: Callable[[Tracker, Path], Issue] | None) -> None:
        notebook = self.resolve(api_path)

        def work(project: Project, tracker: Tracker) -> dict[str, Any]:
            if change is not None:
                return _goals_json(change(tracker, notebook))
            link = get_link(notebook)
            if link is None:
                raise NotFound(
                    f"{notebook.name} is not linked to an issue (in the saved file)",
                    hint="Link it, and save the notebook.",
                )
            return _goals_json(tracker.get(link.issue.number))

        self.reply(await self.on_tracker(notebook, work))

    @web.authenticated
    @authorized
    async def get(self, api_path: str) -> None:
        await self._answer(api_path, None)

    @web.authenticated
    @authorized
    async def post(self, api_path: str) -> None:
        data = payload.parse_object(self.request.body, ("question",))
        question = payload.required_str(data, "question").strip()
        if not question:
            raise InvalidInput("a goal needs a question")
        await self._answer(api_path, lambda tracker, notebook: add_goal(tracker, notebook, question))

    @web.authenticated
    @authorized
    async def put(self, api_path: str) -> None:
        data = payload.parse_object(self.request.body, ("number", "done"))
        number = payload.required_number(data, "number")
        done = payload.flag(data, "done", True)
        await self._answer(api_path, lambda tracker, notebook: tick_goal(tracker, notebook, number, done))
