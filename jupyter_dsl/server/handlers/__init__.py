"""The routes of the jupyter-dsl server extension, relative to base_url: docs/rest-api.md says what they
do, the OpenAPI description in ../openapi/ (served by the last route) what they answer."""

from __future__ import annotations

from typing import Any

from .base import AUTH_RESOURCE, DslHandler
from .batches import BatchCancelHandler, BatchesHandler, BatchHandler, BatchPreviewHandler, GridFileHandler
from .branch import BranchHandler
from .findings import FindingsHandler, GoalsHandler
from .issues import IssueHandler, IssuesHandler
from .jobs import JobsHandler
from .links import LinkHandler, PrepareLinkHandler
from .meta import OpenApiHandler, ProjectHandler, TemplatesHandler, VersionHandler
from .pulls import PullHandler
from .run_notebook import RunNotebookHandler
from .run_updates import ChartHandler, RerunHandler, RunStampHandler
from .runs import ParamsHandler, RunHandler, RunsHandler
from .story import StoryHandler
from .sync import SyncHandler
from .values import ConfigsHandler, ValuesHandler
from .versions import IssueVersionsHandler, RunModelsHandler

PREFIX = "/jupyter-dsl"

ROUTES: list[tuple[str, type[DslHandler]]] = [
    (f"{PREFIX}/version", VersionHandler),
    (f"{PREFIX}/project", ProjectHandler),
    (f"{PREFIX}/templates", TemplatesHandler),
    (f"{PREFIX}/issues", IssuesHandler),
    (f"{PREFIX}/issues/([^/]+)", IssueHandler),
    (f"{PREFIX}/links/(.+)/prepare", PrepareLinkHandler),  # before links/(.+), which would match it
    (f"{PREFIX}/links/(.+)", LinkHandler),
    (f"{PREFIX}/pulls/(.+)", PullHandler),
    (f"{PREFIX}/params/(.+)", ParamsHandler),
    (f"{PREFIX}/runs", RunsHandler),
    (f"{PREFIX}/runs/([^/]+)", RunHandler),
    (f"{PREFIX}/runs/([^/]+)/notebook", RunNotebookHandler),
    (f"{PREFIX}/values/(.+)", ValuesHandler),
    (f"{PREFIX}/configs", ConfigsHandler),
    (f"{PREFIX}/jobs", JobsHandler),
    (f"{PREFIX}/branch/(.+)", BranchHandler),
    (f"{PREFIX}/goals/(.+)", GoalsHandler),
    (f"{PREFIX}/findings/(.+)", FindingsHandler),
    (f"{PREFIX}/runs/([^/]+)/rerun", RerunHandler),
    (f"{PREFIX}/run-stamp", RunStampHandler),
    (f"{PREFIX}/chart", ChartHandler),
    (f"{PREFIX}/batches", BatchesHandler),
    (f"{PREFIX}/batches/preview", BatchPreviewHandler),  # before batches/{id}: "preview" is no batch id
    (f"{PREFIX}/batches/([^/]+)", BatchHandler),
    (f"{PREFIX}/batches/([^/]+)/cancel", BatchCancelHandler),
    (f"{PREFIX}/sync", SyncHandler),
    (f"{PREFIX}/issues/([^/]+)/versions", IssueVersionsHandler),
    (f"{PREFIX}/runs/([^/]+)/models", RunModelsHandler),
    (f"{PREFIX}/openapi/([^/]+)", OpenApiHandler),
    (f"{PREFIX}/grids/(.+)", GridFileHandler),
    (f"{PREFIX}/story/([^/]+)", StoryHandler),
]


def routes() -> list[tuple[Any, ...]]:
    return [(pattern, handler) for pattern, handler in ROUTES]


__all__ = ["AUTH_RESOURCE", "PREFIX", "ROUTES", "DslHandler", "routes"]
