"""A small GitHub REST API v3 on 127.0.0.1 for tests: one in-memory repository served the way GitHub's
documentation describes (status codes; ``Link``, ``ETag`` and ``x-ratelimit-*`` headers; ``per_page`` /
``page``; ``{"message", "documentation_url"}`` error bodies, 422 with ``errors``; the issues endpoint
returns pull requests too, with a ``pull_request`` key), plus fault injection.

    with GitHubServer("octo/demo", token="ghp_fake") as server:
        number = server.seed_issue("Churn by region", labels=["Ask"])
        tracker = GitHubTracker("octo/demo", api_url=server.base_url, token="ghp_fake", cache_dir=tmp)
        server.inject(502, times=2)       # the next two requests answer 502
        server.stop()                     # the forge is unreachable; start() brings it back, same port
        server.issue(number)["labels"]    # the state, as the API renders it
        server.exchanges                  # every request and answer, for checks against the spec
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from .github_routes import ROUTES
from .github_state import DOCS, ApiError, IssueRecord, Pull, RepoState


@dataclass
class Fault:
    """Answer the next ``times`` matching requests with ``status`` (None: answer normally) after
    sleeping ``delay`` seconds; ``method``/``path`` (a substring) narrow what matches."""

    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    delay: float = 0.0
    times: int = 1
    method: str | None = None
    path: str | None = None

    def matches(self, method: str, path: str) -> bool:
        return (self.method in (None, method)) and (self.path is None or self.path in path)


@dataclass
class Exchange:
    """One request the server answered: what came in and what went out."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    authorized: bool
    status: int
    response: bytes
    route: str | None  # the OpenAPI path template that served it

    def response_json(self) -> Any:
        return json.loads(self.response) if self.response else None


class GitHubServer:
    """The API root is ``base_url`` (like ``https://api.github.com``); ``token`` (if set) is the only
    one accepted, and without any token reads work (a public repository) but writes answer 401."""

    def __init__(
        self,
        repo: str = "octo/demo",
        *,
        token: str | None = None,
        scopes: str = "repo",
        enterprise: bool = False,
    ) -> None:
        owner, name = repo.split("/")
        self.prefix = "/api/v3" if enterprise else ""  # GitHub Enterprise serves the API under /api/v3
        self.state = RepoState(owner, name)
        self.token = token
        self.scopes = scopes
        self.exchanges: list[Exchange] = []  # answered requests, in the order they were answered
        self.arrivals: list[tuple[str, str]] = []  # (method, path) of requests, as they came in
        self.faults: list[Fault] = []
        self.rate_remaining = 5000
        self.rate_reset = int(time.time()) + 3600
        self.version = 0  # bumped by every change: rendered GETs are reused until it moves
        self._rendered: dict[str, tuple[int, int, bytes, str, str | None]] = {}
        self._lock = threading.RLock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> GitHubServer:
        """Listen on a random port (the same one again after ``stop``)."""
        handler = type("Handler", (_Handler,), {"app": self})
        ThreadingHTTPServer.allow_reuse_address = True
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.state.api = self.base_url
        self.state.web = self.web_url
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: the forge becomes unreachable (connection refused)."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        with self._lock:  # kept-alive connections too: a stopped forge answers nothing
            open_connections, self._connections = self._connections, set()
        for connection in open_connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> GitHubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The API root: ``api_url`` in dsl.toml."""
        return f"{self.web_url}{self.prefix}"

    @property
    def web_url(self) -> str:
        """Where issues are shown (``html_url``): the host itself, as on GitHub Enterprise."""
        return f"http://127.0.0.1:{self.port}"

    # -- seeding and inspecting ----------------------------------------------------------------

    def seed_issue(
        self,
        title: str,
        body: str = "",
        labels: list[str] | tuple[str, ...] = (),
        *,
        state: str = "open",
        state_reason: str | None = None,
    ) -> int:
        """Add an issue; returns its number."""
        with self._lock:
            issue = self.state.create_issue(title, body, list(labels))
            if state == "closed":
                self.state.set_state(issue, "closed", state_reason)
            self.version += 1
            return issue.number

    def seed_pull(
        self,
        title: str,
        head: str,
        *,
        base: str = "main",
        body: str = "",
        state: str = "open",
        draft: bool = False,
        merged: bool = False,
    ) -> int:
        """Add a pull request (numbered with the issues, as on GitHub); its branches come to exist."""
        with self._lock:
            self.state.branches.update((head, base))
            issue = self.state.create_issue(title, body, [], pull=Pull(head, base, draft, merged))
            if state == "closed":
                self.state.set_state(issue, "closed", None)
            self.version += 1
            return issue.number

    def seed_label(self, name: str, color: str = "ededed", description: str = "") -> None:
        with self._lock:
            self.state.save_label(name, color, description, current=self.state.labels.get(name.lower()))
            self.version += 1

    def seed_branch(self, name: str) -> None:
        with self._lock:
            self.state.branches.add(name)

    def issue(self, number: int) -> dict[str, Any]:
        """Issue (or pull request) ``number`` as GET /repos/{owner}/{repo}/issues/{number} renders it."""
        with self._lock:
            return self.state.issue_json(self.state.issues[number])

    def comments(self, number: int) -> list[dict[str, Any]]:
        with self._lock:
            return [self.state.comment_json(c) for c in self.state.comments.values() if c.issue == number]

    def labels(self) -> list[dict[str, Any]]:
        with self._lock:
            return [self.state.label_json(label) for label in self.state.labels.values()]

    def pull(self, number: int) -> dict[str, Any]:
        with self._lock:
            return self.state.pull_json(self.state.issues[number])

    def changed(self) -> None:
        """Call after editing ``state`` directly, so cached answers are rendered anew."""
        with self._lock:
            self.version += 1

    # -- faults --------------------------------------------------------------------------------

    def inject(
        self,
        status: int | None = None,
        *,
        headers: dict[str, str] | None = None,
        body: Any = None,
        delay: float = 0.0,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Make the next ``times`` matching requests fail with ``status`` (or just be slow)."""
        with self._lock:
            self.faults.append(Fault(status, headers or {}, body, delay, times, method, path))

    def exhaust_rate_limit(self, reset_in: float) -> None:
        """Use up the primary rate limit until ``reset_in`` seconds from now (403, as GitHub does)."""
        with self._lock:
            self.rate_remaining = 0
            self.rate_reset = int(time.time() + reset_in)

    # -- serving -------------------------------------------------------------------------------

    def _rate_headers(self) -> dict[str, str]:
        if self.rate_remaining == 0 and time.time() >= self.rate_reset:
            self.rate_remaining, self.rate_reset = 5000, int(time.time()) + 3600
        return {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": str(self.rate_remaining),
            "x-ratelimit-reset": str(self.rate_reset),
            "x-ratelimit-used": str(5000 - self.rate_remaining),
            "x-ratelimit-resource": "core",
        }

    def handle(self, request: _Handler) -> None:
        split = urlsplit(request.path)
        method, path = request.command, split.path
        if self.prefix and path.startswith(self.prefix + "/"):
            path = path[len(self.prefix) :]
        query = parse_qs(split.query, keep_blank_values=True)
        raw = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        body = json.loads(raw) if raw else None
        auth = request.headers.get("Authorization", "")
        inm = tuple(t.strip() for t in request.headers.get("If-None-Match", "").split(",") if t.strip())
        given = auth.split(" ", 1)[1] if " " in auth else None
        with self._lock:
            self.arrivals.append((method, path))
            fault = next((f for f in self.faults if f.times > 0 and f.matches(method, path)), None)
            if fault is not None:
                fault.times -= 1
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        with self._lock:
            status, payload, headers, route = self._answer(
                method, path, split.query, query, body, given, auth, fault, inm
            )
            self.exchanges.append(Exchange(method, path, query, body, bool(auth), status, payload, route))
        request.reply(status, payload, headers)

    def _answer(
        self,
        method: str,
        path: str,
        raw_query: str,
        query: dict[str, list[str]],
        body: Any,
        given: str | None,
        auth: str,
        fault: Fault | None,
        inm: tuple[str, ...],
    ) -> tuple[int, bytes, dict[str, str], str | None]:
        headers = {**self._rate_headers(), "x-oauth-scopes": self.scopes, "x-accepted-oauth-scopes": "repo"}
        if fault is not None and fault.status is not None:
            error = (
                fault.body
                if fault.body is not None
                else {"message": "Server Error", "documentation_url": DOCS}
            )
            return fault.status, json.dumps(error).encode(), {**headers, **fault.headers}, None
        route, handler, params = _route(method, path)
        try:
            if self.token is not None and auth and given != self.token:
                raise ApiError(401, "Bad credentials")
            if self.rate_remaining == 0 and time.time() < self.rate_reset:
                raise ApiError(403, "API rate limit exceeded for user ID 1.")
            if handler is None:
                raise ApiError(404, "Not Found")
            if (params.get("owner"), params.get("repo")) != (self.state.owner, self.state.name):
                raise ApiError(404, "Not Found")
            if method != "GET" and not auth:
                raise ApiError(401, "Requires authentication")
            if method != "GET" and not {"repo", "public_repo"} & set(self.scopes.replace(",", " ").split()):
                raise ApiError(403, "Resource not accessible by personal access token")
            if method == "GET":
                return self._get(path, raw_query, query, params, handler, headers, route, inm)
            status, data = handler(self, params, query, body)
            self.version += 1
            self.rate_remaining = max(self.rate_remaining - 1, 0)
        except ApiError as exc:
            if exc.status == 403 and "rate limit" in exc.body["message"]:
                headers["x-ratelimit-remaining"] = "0"
            return exc.status, json.dumps(exc.body).encode(), headers, route
        return status, (json.dumps(data).encode() if data is not None else b""), headers, route

    def _get(
        self,
        path: str,
        raw_query: str,
        query: dict[str, list[str]],
        params: dict[str, str],
        handler: Callable[..., Any],
        headers: dict[str, str],
        route: str | None,
        inm: tuple[str, ...],
    ) -> Any:
        key = f"{path}?{raw_query}"
        cached = self._rendered.get(key)
        if cached is None or cached[0] != self.version:
            status, data = handler(self, params, query, None)
            link = None
            if isinstance(data, list):
                data, link = self._page(path, query, data)
            payload = json.dumps(data).encode()
            etag = f'W/"{hashlib.sha1(payload).hexdigest()}"'
            cached = self._rendered[key] = (self.version, status, payload, etag, link)
        _, status, payload, etag, link = cached
        headers["ETag"] = etag
        if link:
            headers["Link"] = link
        if etag in inm:
            return 304, b"", headers, route  # a conditional hit costs no rate limit, as on GitHub
        self.rate_remaining = max(self.rate_remaining - 1, 0)
        return status, payload, headers, route

    def _page(self, path: str, query: dict[str, list[str]], items: list[Any]) -> tuple[list[Any], str | None]:
        try:
            per_page = min(int(query.get("per_page", ["30"])[0]), 100)
            page = max(int(query.get("page", ["1"])[0]), 1)
        except ValueError as exc:
            raise ApiError(422, "Invalid request.") from exc
        last = max((len(items) + per_page - 1) // per_page, 1)

        def url(n: int) -> str:
            flat = {k: v[0] for k, v in query.items()}
            return f"{self.base_url}{path}?{urlencode({**flat, 'page': n})}"

        rels = []
        if page < last:
            rels += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
        if page > 1:
            rels = [f'<{url(page - 1)}>; rel="prev"', f'<{url(1)}>; rel="first"', *rels]
        return items[(page - 1) * per_page : page * per_page], ", ".join(rels) or None


def _route(method: str, path: str) -> tuple[str | None, Callable[..., Any] | None, dict[str, str]]:
    for route_method, template, pattern, handler in ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return template, handler, {k: unquote(v) for k, v in match.groupdict().items()}
    return None, None, {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    app: GitHubServer

    def setup(self) -> None:
        super().setup()
        with self.app._lock:
            self.app._connections.add(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.app._lock:
            self.app._connections.discard(self.connection)

    def _serve(self) -> None:
        self.app.handle(self)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def reply(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if payload:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


__all__ = ["ApiError", "Exchange", "Fault", "GitHubServer", "IssueRecord"]
