"""A local server that speaks GitLab's REST API v4 for one in-memory project, for the tests.

Usage (a context manager, or ``start()`` / ``stop()``)::

    with GitLabServer() as gitlab:                      # 127.0.0.1, a random free port, threaded
        gitlab.seed(labels=[("Ask", "c9ecff", "Define and scope problem and solution")],
                    issues=[("Why do customers churn?", "...", ["Ask"])])   # or gitlab.project.add_*()
        tracker = GitLabTracker(gitlab.project_path, api_url=gitlab.base_url, token=gitlab.token, ...)
        # or a project's dsl.toml: [tracker] kind = "gitlab", project = gitlab.project_path,
        # api_url = gitlab.root_url (or base_url), with GITLAB_TOKEN=gitlab.token in the environment
        ...
        assert gitlab.project.issues[1]["state"] == "closed"      # inspect the state directly
        gitlab.project.merge_merge_request(1)                    # act as a GitLab user would
        assert [r.method for r in gitlab.requests] == [...]      # and every request received

What it implements, as GitLab documents it: ``PRIVATE-TOKEN`` (or ``Authorization: Bearer``) auth with
401 for a missing or wrong token and 403 ``insufficient_scope`` when a ``read_api`` token writes; the
project addressed by numeric id or URL-encoded path (``data-team%2Fchurn``; 404 ``Project Not Found``);
``/labels``, ``/issues`` (``state``, ``labels`` filters), ``/issues/:iid/notes`` (``sort``),
``/merge_requests`` (``state``, ``source_branch``) with GET/POST/PUT; JSON or form bodies; offset
pagination (``page``/``per_page`` up to 100, headers ``x-page``, ``x-per-page``, ``x-next-page``,
``x-prev-page``, ``x-total``, ``x-total-pages`` and ``Link``); weak ``ETag`` on GET with 304 for a
matching ``If-None-Match``; 400/409/422 error bodies (``{"message": ...}`` or ``{"error": ...}``).

Faults are queued with ``fail(Fault(...))``: the next matching request gets the fault's status, headers
and body (``429`` with ``retry-after``, ``502``...) or is held ``delay`` seconds first (a timeout).
``stop()`` closes the socket, so a client sees the forge as unreachable (offline); ``start()`` again
listens on the same port.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode

from .gitlab_state import ApiError, GitLabProject, not_found

FAKE_TOKEN = "glpat-FAKE-planted-token-3f9a1c77e2"  # planted: tests assert it never leaks
JSONish = dict[str, Any] | list[Any]


@dataclass
class Fault:
    """What the next request matching ``method`` (any when None) and ``path`` (a substring of the path,
    any when None) gets instead of its answer. ``status=None`` with a ``delay`` answers normally late."""

    status: int | None = None
    body: Any = None  # JSON value, or str sent as text/plain
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    method: str | None = None
    path: str | None = None
    times: int = 1


@dataclass(frozen=True)
class Received:
    """One request as the server saw it (the token header included, so tests can check it was sent)."""

    method: str
    path: str  # decoded, without the query
    raw_path: str  # as sent, with the query
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]
    status: int


class GitLabServer:
    """A GitLab REST API v4 for ``project`` on ``base_url`` (``http://127.0.0.1:<port>/api/v4``)."""

    def __init__(self, project: GitLabProject | None = None, *, token: str = FAKE_TOKEN) -> None:
        self.project = project or GitLabProject()
        self.token = token
        self.scopes: set[str] = {"api"}  # {"read_api"}: writes get 403 insufficient_scope
        self.requests: list[Received] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._connections: set[socket.socket] = set()

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> GitLabServer:
        """Listen (again) and serve in a background thread; the first start picks a free port."""
        handler = type("Handler", (_Handler,), {"server_api": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self._port), handler)
        self._httpd.daemon_threads = True
        self._port = self._httpd.server_address[1]
        self.project.web_root = self.root_url
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and cut open (keep-alive) connections: clients get connection errors until
        ``start()``. The project state is kept."""
        if self._httpd is not None:
            self._httpd.shutdown()
            with self._lock:
                open_ones, self._connections = set(self._connections), set()
            for conn in open_ones:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> GitLabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def root_url(self) -> str:
        """The instance's web root (``web_url`` values start with it)."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """The API base a tracker's ``api_url`` points at."""
        return f"{self.root_url}/api/v4"

    @property
    def project_path(self) -> str:
        return self.project.path

    # -- test controls -------------------------------------------------------------------------

    def seed(
        self,
        *,
        labels: Iterable[tuple[str, str, str]] = (),
        issues: Iterable[tuple[str, str, Sequence[str]]] = (),
    ) -> list[int]:
        """Put ``labels`` (name, colour as 6 hex digits, description) and then ``issues`` (title,
        description, label names) in the project as if made on GitLab; returns the new issues' iids."""
        for name, color, description in labels:
            self.project.add_label(name, f"#{color.removeprefix('#')}", description)
        return [self.project.add_issue(title, body, list(names))["iid"] for title, body, names in issues]

    def fail(self, *faults: Fault) -> None:
        """Queue faults; each matching request consumes one use of the first fault that matches it."""
        with self._lock:
            self.faults.extend(faults)

    def requests_to(self, method: str, path_part: str = "") -> list[Received]:
        """The requests received with ``method`` whose decoded path contains ``path_part``."""
        return [r for r in self.requests if r.method == method and path_part in r.path]

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method in (None, method) and (fault.path is None or fault.path in path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def _record(self, received: Received) -> None:
        with self._lock:
            self.requests.append(received)


Route = Callable[["_Handler", list[str]], tuple[int, JSONish]]


class _Handler(BaseHTTPRequestHandler):
    server_api: GitLabServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        with self.server_api._lock:
            self.server_api._connections.add(self.connection)

    def finish(self) -> None:
        with self.server_api._lock:
            self.server_api._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures itself
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    # -- plumbing ------------------------------------------------------------------------------

    def _serve(self, method: str) -> None:
        api = self.server_api
        raw_path, _, raw_query = self.path.partition("?")
        self.query = {k: v[-1] for k, v in parse_qs(raw_query, keep_blank_values=True).items()}
        self.body = self._read_body()
        # split before decoding: a project path travels as one URL-encoded segment (group%2Fname)
        segments = [unquote(s) for s in raw_path.split("/") if s]
        path = "/" + "/".join(segments)
        status, payload, headers = self._answer(method, segments, path)
        headers = dict(headers)
        data, kind = _encode(payload)
        if method == "GET" and status == 200:
            etag = 'W/"' + hashlib.md5(data).hexdigest() + '"'  # a cache key, not security
            headers["ETag"] = etag
            if self.headers.get("If-None-Match") == etag:
                status, data = 304, b""
        received = Received(method, path, self.path, self.query, dict(self.headers), self.body, status)
        api._record(received)
        self._send(status, data, kind, headers)

    def _answer(self, method: str, segments: list[str], path: str) -> tuple[int, Any, dict[str, str]]:
        api = self.server_api
        fault = api._take_fault(method, path)
        if fault is not None:
            time.sleep(fault.delay)
            if fault.status is not None:
                return fault.status, fault.body, fault.headers
        supplied = self.headers.get("PRIVATE-TOKEN") or self.headers.get("Authorization", "").removeprefix(
            "Bearer "
        )
        if supplied != api.token:
            return 401, {"message": "401 Unauthorized"}, {}
        if method != "GET" and "api" not in api.scopes:
            body = {
                "error": "insufficient_scope",
                "error_description": "The request requires higher privileges than provided by the access token.",  # noqa: E501
                "scope": "api",
            }
            return 403, body, {}
        try:
            status, payload = self._route(method, segments)
        except ApiError as exc:
            return exc.status, exc.body, {}
        headers: dict[str, str] = {}
        if method == "GET" and isinstance(payload, list):
            payload, headers = self._paginate(payload)
        return status, payload, headers

    def _read_body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        if "json" in (self.headers.get("Content-Type") or ""):
            data = json.loads(raw)
            return data if isinstance(data, dict) else {}
        return {k: v[-1] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}

    def _paginate(self, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
        page = max(1, int(self.query.get("page") or 1))
        per_page = min(100, max(1, int(self.query.get("per_page") or 20)))
        total_pages = max(1, -(-len(items) // per_page))
        next_page = page + 1 if page < total_pages else None
        prev_page = page - 1 if page > 1 else None
        root = self.server_api.root_url + self.path.partition("?")[0]

        def link(number: int) -> str:
            return root + "?" + urlencode({**self.query, "page": number, "per_page": per_page})

        rels = [(next_page, "next"), (prev_page, "prev"), (1, "first"), (total_pages, "last")]
        headers = {
            "x-page": str(page),
            "x-per-page": str(per_page),
            "x-next-page": str(next_page or ""),
            "x-prev-page": str(prev_page or ""),
            "x-total": str(len(items)),
            "x-total-pages": str(total_pages),
            "Link": ", ".join(f'<{link(n)}>; rel="{rel}"' for n, rel in rels if n),
        }
        return items[(page - 1) * per_page : page * per_page], headers

    def _send(self, status: int, data: bytes, kind: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    # -- routes --------------------------------------------------------------------------------

    def _route(self, method: str, segments: list[str]) -> tuple[int, JSONish]:
        if segments[:2] != ["api", "v4"]:
            raise not_found()
        rest = segments[2:]
        if rest == ["user"] and method == "GET":
            return 200, self.server_api.project._author()
        if len(rest) < 2 or rest[0] != "projects":
            raise not_found()
        project = self.server_api.project
        if rest[1] not in (project.path, str(project.id)):
            raise not_found("Project Not Found")
        return self._project_route(method, rest[2:])

    def _project_route(self, method: str, rest: list[str]) -> tuple[int, JSONish]:
        p, body, query = self.server_api.project, self.body, self.query
        match method, rest:
            case "GET", []:
                return 200, {"id": p.id, "path_with_namespace": p.path, "web_url": p.web_url}
            case "GET", ["labels"]:
                return 200, sorted((dict(lab) for lab in p.labels.values()), key=lambda lab: lab["name"])
            case "POST", ["labels"]:
                _require(body, "name", "color")
                return 201, p.add_label(body["name"], body["color"], body.get("description") or "")
            case "PUT", ["labels", key]:
                return 200, p.update_label(key, body)
            case "GET", ["issues"]:
                state = query.get("state", "all")
                labels = [n for n in query.get("labels", "").split(",") if n]
                return 200, p.issues_matching(state, labels)
            case "POST", ["issues"]:
                _require(body, "title")
                labels = [n for n in str(body.get("labels") or "").split(",") if n]
                return 201, p.add_issue(body["title"], body.get("description"), labels)
            case "GET", ["issues", iid]:
                return 200, p.issue(_int(iid))
            case "PUT", ["issues", iid]:
                return 200, p.update_issue(_int(iid), body)
            case "GET", ["issues", iid, "notes"]:
                return 200, p.notes_of(_int(iid), query.get("sort", "desc"))
            case "POST", ["issues", iid, "notes"]:
                _require(body, "body")
                return 201, p.add_note(_int(iid), body["body"])
            case "PUT", ["issues", iid, "notes", note_id]:
                _require(body, "body")
                return 200, p.update_note(_int(iid), _int(note_id), body["body"])
            case "GET", ["merge_requests"]:
                return 200, p.merge_requests_matching(query.get("state", "all"), query.get("source_branch"))
            case "POST", ["merge_requests"]:
                _require(body, "source_branch", "target_branch", "title")
                return 201, p.add_merge_request(
                    body["source_branch"], body["target_branch"], body["title"], body.get("description")
                )
            case "GET", ["merge_requests", iid]:
                return 200, p.merge_request(_int(iid))
            case "PUT", ["merge_requests", iid]:
                return 200, p.update_merge_request(_int(iid), body)
        raise not_found()


def _encode(payload: Any) -> tuple[bytes, str]:
    if isinstance(payload, str):
        return payload.encode(), "text/plain"
    if payload is None:
        return b"", "application/json"
    return json.dumps(payload).encode(), "application/json"


def _require(body: dict[str, Any], *names: str) -> None:
    missing = [n for n in names if n not in body]
    if missing:
        verb = " is missing" if len(missing) == 1 else " are missing"
        raise ApiError(400, {"error": ", ".join(missing) + verb})


def _int(text: str) -> int:
    if not text.isdigit():
        raise not_found()
    return int(text)
