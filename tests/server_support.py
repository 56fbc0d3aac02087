"""Helpers for the server-extension tests: a real DSLP project, notebooks, route discovery, raw fetches."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, urlencode, urlsplit

import nbformat
import pytest
from openapi_contract import contract
from tornado.routing import PathMatches, Router
from tornado.web import RequestHandler
from traitlets.config import Config

from jupyter_dsl.notebook.document import IssueRef, NotebookLink, set_link
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.trackers import CloseReason, Comment, Issue, IssueQuery, LocalTracker

PREFIX = "/jupyter-dsl/"
NOTEBOOK = "notebooks/analysis.ipynb"
DOCUMENTED = {
    ("/jupyter-dsl/version", "GET"),
    ("/jupyter-dsl/project", "GET"),
    ("/jupyter-dsl/project", "POST"),
    ("/jupyter-dsl/templates", "GET"),
    ("/jupyter-dsl/issues", "GET"),
    ("/jupyter-dsl/issues", "POST"),
    ("/jupyter-dsl/issues/{n}", "GET"),
    ("/jupyter-dsl/links/{path}", "GET"),
    ("/jupyter-dsl/links/{path}", "PUT"),
    ("/jupyter-dsl/links/{path}", "DELETE"),
    ("/jupyter-dsl/links/{path}/prepare", "POST"),
    ("/jupyter-dsl/pulls/{path}", "POST"),
    ("/jupyter-dsl/params/{path}", "GET"),
    ("/jupyter-dsl/runs", "GET"),
    ("/jupyter-dsl/runs/{n}", "GET"),
    ("/jupyter-dsl/runs/{n}/notebook", "GET"),
    ("/jupyter-dsl/values/{path}", "GET"),
    ("/jupyter-dsl/configs", "GET"),
    ("/jupyter-dsl/jobs", "GET"),
    ("/jupyter-dsl/jobs", "POST"),
    ("/jupyter-dsl/branch/{path}", "GET"),
    ("/jupyter-dsl/branch/{path}", "POST"),
    ("/jupyter-dsl/goals/{path}", "GET"),
    ("/jupyter-dsl/goals/{path}", "POST"),
    ("/jupyter-dsl/goals/{path}", "PUT"),
    ("/jupyter-dsl/findings/{path}", "GET"),
    ("/jupyter-dsl/findings/{path}", "POST"),
    ("/jupyter-dsl/runs/{n}/rerun", "POST"),
    ("/jupyter-dsl/run-stamp", "GET"),
    ("/jupyter-dsl/chart", "GET"),
    ("/jupyter-dsl/batches", "GET"),
    ("/jupyter-dsl/batches", "POST"),
    ("/jupyter-dsl/batches/preview", "POST"),
    ("/jupyter-dsl/batches/{n}", "GET"),
    ("/jupyter-dsl/batches/{n}/cancel", "POST"),
    ("/jupyter-dsl/openapi/{n}", "GET"),
    ("/jupyter-dsl/grids/{path}", "GET"),
    ("/jupyter-dsl/sync", "GET"),
    ("/jupyter-dsl/sync", "POST"),
    ("/jupyter-dsl/issues/{n}/versions", "GET"),
    ("/jupyter-dsl/runs/{n}/models", "GET"),
}
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Server Test",
    "GIT_AUTHOR_EMAIL": "server-test@example.invalid",
    "GIT_COMMITTER_NAME": "Server Test",
    "GIT_COMMITTER_EMAIL": "server-test@example.invalid",
}


def server_config(**server_app: Any) -> Config:
    """Server config that enables jupyter_dsl (it is not pip-installed, so nothing enables it for us)."""
    return Config({"ServerApp": {"jpserver_extensions": {"jupyter_dsl": True}, **server_app}})


def git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


def sample_notebook() -> nbformat.NotebookNode:
    """Code with outputs, non-ASCII markdown, a parameters cell and another tool's metadata."""
    nb: nbformat.NotebookNode = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("x = 1\nprint('héllo')", execution_count=1)
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="héllo\n")]
    params = nbformat.v4.new_code_cell("alpha = 0.5", metadata={"tags": ["parameters"]})
    nb.cells = [nbformat.v4.new_markdown_cell("# Churn — überblick 📈"), params, code]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["other_tool"] = {"keep": [1, 2, 3]}
    return nb


def write_notebook(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(sample_notebook(), path)
    return path


def make_project(root: Path, notebook: str = NOTEBOOK) -> Path:
    """A DSLP project (git on main, dsl.toml) with one committed notebook; returns the notebook."""
    init_project(root)
    path = write_notebook(root / notebook)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    return path


def local_tracker(start: Path) -> LocalTracker:
    return LocalTracker(find_project(start).database_path)


def project_with_an_ask(root: Path) -> Path:
    """A project in ``root`` whose tracker holds Ask #1 "Why churn?"; returns its notebook."""
    path = make_project(root)
    tracker = local_tracker(path)
    try:
        tracker.create("Why churn?", "", ["Ask"])
    finally:
        tracker.close_connection()
    return path


def issue_numbers(start: Path) -> list[int]:
    tracker = local_tracker(start)
    try:
        return [issue.number for issue in tracker.list(IssueQuery(state="all"))]
    finally:
        tracker.close_connection()


class RaisingTracker:
    """A real Tracker class for tests (register it under its ``kind``) whose every call goes to ``fail``."""

    kind = "raising-for-tests"

    def __init__(self, project: Project) -> None:
        self.project = project

    def fail(self, *args: object, **kwargs: object) -> NoReturn:
        raise NotImplementedError

    def create(self, title: str, body: str, labels: Sequence[str]) -> Issue:
        self.fail()

    def get(self, number: int) -> Issue:
        self.fail()

    def comment(self, number: int, body: str) -> Comment:
        self.fail()

    def comments(self, number: int) -> list[Comment]:
        self.fail()

    def edit(self, number: int, *, title: str | None = None, body: str | None = None) -> Issue:
        self.fail()

    def update_labels(self, number: int, *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Issue:
        self.fail()

    def add_labels(self, number: int, labels: Sequence[str]) -> Issue:
        self.fail()

    def remove_labels(self, number: int, labels: Sequence[str]) -> Issue:
        self.fail()

    def close(self, number: int, reason: CloseReason = "completed") -> Issue:
        self.fail()

    def reopen(self, number: int) -> Issue:
        self.fail()

    def list(self, query: IssueQuery) -> list[Issue]:  # last: the name shadows the builtin in the class
        self.fail()


def project_with_tracker(root: Path, kind: str) -> Path:
    """A project in ``root`` whose dsl.toml names tracker ``kind``, with a notebook linked to #1."""
    notebook = make_project(root, "nb.ipynb")
    (root / "dsl.toml").write_text(f'[tracker]\nkind = "{kind}"\n', encoding="utf-8")
    set_link(notebook, NotebookLink(IssueRef("local", 1, "Ask", "Why churn?"), branch="1-why-churn"))
    return notebook


# -- routes -------------------------------------------------------------------------------------


def _rules(router: Router) -> Iterator[tuple[str, Any]]:
    for rule in getattr(router, "rules", []):
        target = rule.target
        if isinstance(target, Router) and hasattr(target, "rules"):
            yield from _rules(target)
        elif isinstance(rule.matcher, PathMatches):
            yield rule.matcher.regex.pattern, target


def dsl_routes(web_app: Any, base_url: str) -> list[tuple[str, type[RequestHandler]]]:
    """(pattern relative to base_url, handler) of every registered route under /jupyter-dsl/."""
    found = []
    for pattern, target in _rules(web_app.default_router):
        if not (isinstance(target, type) and issubclass(target, RequestHandler)):
            continue
        if not pattern.startswith(base_url):
            continue
        relative = "/" + pattern[len(base_url) :]
        if relative.startswith(PREFIX):
            found.append((relative.removesuffix("$"), target))
    return found


def implemented_methods(handler: type[RequestHandler]) -> list[str]:
    """The HTTP methods the handler class itself implements (not RequestHandler's 405 stubs)."""
    return [
        method
        for method in HTTP_METHODS
        if getattr(handler, method.lower(), None) is not getattr(RequestHandler, method.lower(), None)
    ]


def documented_name(pattern: str) -> str:
    """``/jupyter-dsl/runs/([^/]+)/notebook`` -> ``/jupyter-dsl/runs/{n}/notebook`` (as the doc names it)."""
    return pattern.replace("(.+)", "{path}").replace("([^/]+)", "{n}")


def route_url(base_url: str, pattern: str, sample: str) -> str:
    matcher = PathMatches(pattern)
    path = matcher.reverse(*([sample] * matcher.regex.groups))
    assert path is not None, f"cannot build a URL for {pattern}"
    return base_url.rstrip("/") + path


# -- fetching -----------------------------------------------------------------------------------


@dataclass
class Reply:
    code: int
    body: bytes
    headers: Any

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error(self) -> dict[str, Any]:
        """The error body: exactly ``{"message", "hint", "action"}``."""
        data: dict[str, Any] = self.json
        assert set(data) == {"message", "hint", "action"}, data
        return data


class Api:
    """A client of the running test server. Tests are sync functions that drive the server's own
    loop (pytest-asyncio would otherwise run async tests on a loop the server does not listen on)."""

    def __init__(self, loop: Any, client: Any, base_url: str, auth_header: dict[str, str]) -> None:
        self.loop = loop
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.auth_header = auth_header

    def url(self, route: str, params: Any = None) -> str:
        """``route`` is under /jupyter-dsl/ and gets percent-escaped (``/`` kept)."""
        query = f"?{urlencode(params, doseq=True)}" if params else ""
        return f"{self.base_url}{PREFIX}{quote(route, safe='/')}{query}"

    def raw(
        self, method: str, url: str, payload: Any = None, *, body: bytes | None = None, auth: bool = True
    ) -> Reply:
        """Send ``method`` to an exact URL (relative to the host); errors come back as replies."""
        headers = dict(self.auth_header) if auth else {}
        if payload is not None:
            body = json.dumps(payload).encode()
        if body is None and method in ("POST", "PUT", "PATCH"):
            body = b""
        response = self.loop.run_until_complete(
            self.client.fetch(
                url,
                method=method,
                body=body,
                headers=headers,
                raise_error=False,
                allow_nonstandard_methods=True,
                follow_redirects=False,
                request_timeout=60,
            )
        )
        reply = Reply(response.code, response.body or b"", response.headers)
        self.check_contract(method, url, reply)
        return reply

    def check_contract(self, method: str, url: str, reply: Reply) -> None:
        """Every answer of a /jupyter-dsl/ route is what the OpenAPI description says it is."""
        path = urlsplit(url).path
        if path.startswith(self.base_url + PREFIX):
            content_type = reply.headers.get("Content-Type", "")
            contract().check(method, path[len(self.base_url) :], reply.code, content_type, reply.body)

    def call(
        self, method: str, route: str, payload: Any = None, *, params: Any = None, **kwargs: Any
    ) -> Reply:
        return self.raw(method, self.url(route, params), payload, **kwargs)

    def get(self, route: str, **params: Any) -> Any:
        """GET that must answer 200 with JSON; returns the JSON."""
        reply = self.call("GET", route, params=params)
        assert reply.code == 200, (reply.code, reply.body)
        assert reply.headers["Content-Type"].startswith("application/json")
        return reply.json


@pytest.fixture
def api(
    jp_serverapp: Any, jp_asyncio_loop: Any, http_server_client: Any, jp_base_url: str, jp_auth_header: Any
) -> Api:
    return Api(jp_asyncio_loop, http_server_client, jp_base_url, jp_auth_header)
