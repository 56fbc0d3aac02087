"""Every /jupyter-dsl/ route refuses unauthenticated and unauthorized requests, with no side effects.

The routes are found in the running server's router, not listed here, so a route added later
without ``@web.authenticated`` / ``@authorized`` fails these tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from jupyter_server.auth import Authorizer
from server_support import (
    DOCUMENTED,
    NOTEBOOK,
    Api,
    api,
    documented_name,
    dsl_routes,
    implemented_methods,
    issue_numbers,
    local_tracker,
    make_project,
    route_url,
    server_config,
)
from traitlets.config import Config

from jupyter_dsl.batch.state import BatchStore, NewSet
from jupyter_dsl.notebook import links
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs import RunRecord, RunStore

__all__ = ["api"]  # the fixture, imported for pytest

RUN_ID = "20250101-000000-a1b2c3"  # a run the fixture records
BATCH_ID = "20250101-000000-b4a7c8"  # a batch the fixture records
GRID = "grid.yaml"  # a grid file the fixture writes
# a value for a route's path group: an issue number, the notebook, a run, a batch, a grid file, a
# description file
SAMPLES = ("1", NOTEBOOK, RUN_ID, BATCH_ID, GRID, "openapi.yaml")
QUERIES = ("", f"?path={NOTEBOOK}", f"?path={NOTEBOOK}&x=alpha&y=auc")  # for a route without a path group
PAYLOADS: dict[str, Any] = {  # bodies that would succeed (and change things) if the request got through
    "POST": {"type": "Ask", "title": "Sneaked in"},
    "PUT": {"number": 2},
    "PATCH": {"number": 2},
}


class DenyDsl(Authorizer):
    """Allows everything except the jupyter_dsl resource; remembers what it was asked."""

    asked: ClassVar[list[tuple[str, str, str]]] = []

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        DenyDsl.asked.append((handler.request.method, action, resource))
        return resource != "jupyter_dsl"


@pytest.fixture
def notebook(jp_root_dir: Path) -> Path:
    """The project with two issues and the notebook linked to #1."""
    path = make_project(jp_root_dir)
    tracker = local_tracker(path)
    try:
        tracker.create("Why churn?", "", ["Ask"])
        tracker.create("Churn by region", "", ["Explore"])
        links.link(tracker, path, 1)
    finally:
        tracker.close_connection()
    (jp_root_dir / GRID).write_text("grid: {alpha: [0.1, 0.2]}\n", encoding="utf-8")
    record = RunRecord(RUN_ID, NOTEBOOK, "0" * 64, {"alpha": 0.1}, "python3", status="succeeded")
    record.metrics = {"auc": 0.9}
    output = jp_root_dir / ".dsl" / "artifacts" / RUN_ID / path.name  # what runs/{id}/notebook serves
    output.parent.mkdir(parents=True)
    output.write_bytes(path.read_bytes())
    record.artifacts = [output.as_uri()]
    with RunStore(find_project(path).database_path) as store:
        store.insert(record)
        batches = BatchStore(store)
        batches.create(
            BATCH_ID, notebook=NOTEBOOK, notebook_hash="0" * 64, kernel="python3", grid={}, options={},
            sets=[NewSet("i", {"alpha": 0.1}, {})], token="t",
        )  # fmt: skip
        batches.finish(BATCH_ID, "t", "finished")
    return path


def walk(api: Api, app: Any) -> list[tuple[str, str, str]]:
    """(pattern, method, url) for every method of every /jupyter-dsl/ route. Each URL is one that an
    authenticated GET answers with 200 (a route without GET: its first sample URL), so a refusal below
    is the auth layer's doing."""
    routes = dsl_routes(app.web_app, app.base_url)
    assert routes, "no /jupyter-dsl/ route is registered"
    found = {
        (documented_name(pattern), method)
        for pattern, handler in routes
        for method in implemented_methods(handler)
    }
    assert found >= DOCUMENTED, f"documented routes missing: {DOCUMENTED - found}"
    calls: list[tuple[str, str, str]] = []
    for pattern, handler in routes:
        if "(" in pattern:
            urls = [route_url(app.base_url, pattern, sample) for sample in SAMPLES]
        else:
            urls = [route_url(app.base_url, pattern, "") + query for query in QUERIES]
        if "GET" not in implemented_methods(handler):  # POST-only (preview, cancel, rerun): nothing to GET
            calls.extend((pattern, method, urls[0]) for method in implemented_methods(handler))
            continue
        working = [url for url in urls if api.raw("GET", url).code == 200]
        assert working, f"no sample URL of {pattern} answers an authenticated GET: {urls}"
        calls.extend((pattern, method, working[0]) for method in implemented_methods(handler))
    return calls


def assert_untouched(notebook: Path, original: bytes) -> None:
    assert notebook.read_bytes() == original
    assert issue_numbers(notebook) == [2, 1]


class TestUnauthenticated:
    @pytest.fixture
    def jp_server_config(self) -> Config:
        return server_config()

    def test_every_route_refuses_a_request_without_token_or_cookie(
        self, api: Api, jp_serverapp: Any, notebook: Path
    ) -> None:
        original = notebook.read_bytes()
        calls = walk(api, jp_serverapp)
        assert {method for _, method, _ in calls} >= {"GET", "POST", "PUT", "DELETE"}
        for pattern, method, url in calls:
            reply = api.raw(method, url, PAYLOADS.get(method), auth=False)
            assert reply.code in (401, 403), (pattern, method, reply.code, reply.body)
            assert b"Sneaked" not in reply.body
            assert_untouched(notebook, original)
        # a wrong token is no better than none
        for _pattern, method, url in calls:
            api.auth_header = {"Authorization": "token not-the-token"}
            assert api.raw(method, url, PAYLOADS.get(method)).code in (401, 403)
        assert_untouched(notebook, original)


class TestUnauthorized:
    @pytest.fixture
    def jp_server_config(self) -> Config:
        return server_config(authorizer_class=DenyDsl)

    def test_every_route_asks_the_authorizer_for_jupyter_dsl(
        self, api: Api, jp_serverapp: Any, notebook: Path
    ) -> None:
        original = notebook.read_bytes()
        routes = dsl_routes(jp_serverapp.web_app, jp_serverapp.base_url)
        assert routes
        calls = [
            (
                pattern,
                method,
                route_url(jp_serverapp.base_url, pattern, NOTEBOOK if "links" in pattern else "1"),
            )
            for pattern, handler in routes
            for method in implemented_methods(handler)
        ]
        assert len(calls) >= len(DOCUMENTED)
        for pattern, method, url in calls:
            DenyDsl.asked.clear()
            reply = api.raw(method, url, PAYLOADS.get(method))
            assert reply.code == 403, (pattern, method, reply.code, reply.body)
            assert reply.json["message"].endswith("resource: jupyter_dsl."), reply.json
            action = "read" if method in ("GET", "HEAD") else "write"
            assert (method, action, "jupyter_dsl") in DenyDsl.asked, DenyDsl.asked
            assert_untouched(notebook, original)
        # the authorizer denies only jupyter_dsl: the server's own API still answers
        assert api.raw("GET", jp_serverapp.base_url.rstrip("/") + "/api/contents").code == 200
