"""What every jupyter-dsl handler shares: the auth resource, paths, threads, JSON and error mapping.

Errors are mapped in ONE place (``send_error`` / ``write_error`` below): a ``DslError`` becomes its
``http_status`` with ``{"message", "hint", "action"}`` (``error_body``: the hint's neutral sentence and
its action as data, paths as API paths; never a CLI flag or an HTTP status in the text); tornado's own
``HTTPError`` (403 from the auth layer, 405...) keeps its status; anything else is a 500 with a generic
message, its traceback in the log.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Callable
from http.client import responses
from pathlib import Path
from typing import Any, TypeVar, cast

from jupyter_server.base.handlers import APIHandler
from tornado import web

from ...errors import DslError, InvalidInput
from ...hints import Action
from ...notebook.parameter_problems import ParameterProblems
from ...project.settings import Project, find_project
from ...trackers import Tracker
from ..limits import SETTING as LIMITS
from ..limits import Limits
from ..paths import api_path_of, normalize_api_path, resolve_api_path
from ..trackers import SETTING as TRACKERS
from ..trackers import ProjectTrackers

AUTH_RESOURCE = "jupyter_dsl"
UNEXPECTED = "jupyter-dsl hit an unexpected error; the Jupyter server log has the details."
PATH_ARGS = ("notebook", "directory", "grid")  # hint action arguments that are files or folders
FORM = "the form"  # how the sidebar names the values typed in its parameters form (the CLI's -p)

T = TypeVar("T")


def with_tracker(trackers: ProjectTrackers, start: Path, work: Callable[[Project, Tracker], T]) -> T:
    """Find the project holding ``start``, borrow its tracker, run ``work``; blocking (run it in a thread).

    A JSON object answer gets ``offline_as_of``: when the forge was unreachable, the time of the cached
    copy it shows (None when the answer is fresh)."""
    project = find_project(start)
    with trackers.lease(project) as tracker:
        result = work(project, tracker)
        if isinstance(result, dict):
            result.setdefault("offline_as_of", getattr(tracker, "offline_as_of", None))
        return result


class DslHandler(APIHandler):
    """Base of every route under ``/jupyter-dsl/``. Subclasses decorate each method with
    ``@web.authenticated`` and ``@authorized``."""

    auth_resource = AUTH_RESOURCE

    # -- paths ------------------------------------------------------------------------------

    @property
    def root_dir(self) -> Path:
        """The server's root directory (``ServerApp.root_dir``), symlinks resolved."""
        return Path(os.path.expanduser(self.settings["server_root_dir"])).resolve()

    def resolve(self, api_path: str) -> Path:
        """The file an API path names, confined to the root (``PathRefused`` otherwise)."""
        allow_hidden = bool(getattr(self.contents_manager, "allow_hidden", False))
        return resolve_api_path(self.root_dir, api_path, allow_hidden=allow_hidden)

    def api_path(self, path: Path) -> str | None:
        return api_path_of(self.root_dir, path)

    def normalized(self, api_path: str) -> str:
        return normalize_api_path(api_path)

    def query_path(self) -> Path:
        """The ``?path=`` query value (default: the root), confined to the root."""
        return self.resolve(self.get_query_argument("path", ""))

    def notebook_query(self, what: str) -> Path:
        """The ``?path=`` query value a route cannot do without (a notebook), confined to the root."""
        api_path = self.get_query_argument("path", "")
        if not api_path:
            hint = "e.g. ?path=notebooks/a.ipynb"
            raise InvalidInput(f"{what} needs ?path= (a notebook's API path)", hint=hint)
        return self.resolve(api_path)

    # -- work ---------------------------------------------------------------------------------

    async def blocking(self, func: Callable[..., T], *args: Any) -> T:
        """Run a blocking core call (SQLite, git, HTTP trackers) off the event loop."""
        return await asyncio.to_thread(func, *args)

    @property
    def trackers(self) -> ProjectTrackers:
        """The server's trackers, one per project (``server.trackers``)."""
        return cast(ProjectTrackers, self.settings[TRACKERS])

    @property
    def limits(self) -> Limits:
        """The limits the server's settings give (``c.JupyterDSL.*``)."""
        return cast(Limits, self.settings[LIMITS])

    async def on_tracker(self, start: Path, work: Callable[[Project, Tracker], T]) -> T:
        return await self.blocking(with_tracker, self.trackers, start, work)

    def reply(self, payload: Any, status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(payload, ensure_ascii=False))

    # -- errors (the one place) -----------------------------------------------------------------

    def public_text(self, text: str) -> str:
        """A message without the server's absolute root path: paths inside read relative to it."""
        configured = os.path.expanduser(self.settings.get("server_root_dir", ""))
        for root in sorted({str(self.root_dir), configured} - {"", os.sep}, key=len, reverse=True):
            pattern = re.escape(root.rstrip(os.sep)) + r"(?:/|(?![\w.-]))"
            text = re.sub(pattern, lambda m: "" if m[0].endswith("/") else "the Jupyter root directory", text)
        return text

    def public_action(self, act: Action | None) -> dict[str, Any] | None:
        """A hint's action as data for the sidebar: path arguments as API paths (None outside the root)."""
        if act is None:
            return None
        args = {
            key: self.api_path(Path(value)) if key in PATH_ARGS and isinstance(value, str) else value
            for key, value in act.args.items()
        }
        return {"name": act.name, "args": args}

    def error_body(self, error: DslError, message: str | None = None) -> dict[str, Any]:
        """What the server says of an error: its message, the hint's sentence and its action."""
        advice = error.advice
        if message is None:
            message = error.worded(typed=FORM) if isinstance(error, ParameterProblems) else error.message
        return {
            "message": self.public_text(message),
            "hint": self.public_text(advice.text) if advice is not None else None,
            "action": self.public_action(advice.action if advice is not None else None),
        }

    def send_error(self, status_code: int = 500, **kwargs: Any) -> None:
        error = _exception(kwargs)
        if isinstance(error, DslError):
            status_code = error.http_status
        super().send_error(status_code, **kwargs)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = _exception(kwargs)
        if isinstance(error, DslError):
            body = self.error_body(error)
        else:
            if isinstance(error, web.HTTPError):
                message = _http_error_text(error) or responses.get(status_code, "Unknown HTTP error")
            elif error is not None:
                message = UNEXPECTED
            else:
                message = responses.get(status_code, "Unknown HTTP error")
            body = {"message": message, "hint": None, "action": None}
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, DslError):  # expected: one line, no traceback, no query (it may hold a token)
            request = self.request
            self.log.warning("%d %s %s: %s", value.http_status, request.method, request.path, value.message)
            return
        super().log_exception(typ, value, tb)  # HTTPError: a warning; anything else: the traceback


def _exception(kwargs: dict[str, Any]) -> BaseException | None:
    exc_info = kwargs.get("exc_info")
    return exc_info[1] if exc_info else None


def _http_error_text(error: web.HTTPError) -> str | None:
    if not error.log_message:
        return error.reason
    try:
        return str(error.log_message % error.args) if error.args else str(error.log_message)
    except (TypeError, ValueError):
        return str(error.log_message)
