"""Errors map to statuses in one place: DslError -> its http_status and {"message", "hint", "action"};
bad bodies -> 400; the tracker failing -> 502; anything unexpected -> a generic 500, traceback logged."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, NoReturn

import pytest
from server_support import (
    NOTEBOOK,
    Api,
    RaisingTracker,
    api,
    issue_numbers,
    local_tracker,
    project_with_an_ask,
    project_with_tracker,
    server_config,
)
from traitlets.config import Config

from jupyter_dsl.errors import TrackerError
from jupyter_dsl.trackers import register

__all__ = ["api"]  # the fixture, imported for pytest

DOWN = "the tracker answered 503 Service Unavailable"


class FailingTracker(RaisingTracker):
    """A tracker whose backend is down: every call raises TrackerError, as a forge outage would."""

    kind = "failing-for-tests"

    def fail(self, *args: object, **kwargs: object) -> NoReturn:
        raise TrackerError(
            "the tracker answered 503 Service Unavailable", status=503, hint="Try again later."
        )


class CrashingTracker(FailingTracker):
    """A tracker with a bug: it raises something that is not a DslError."""

    kind = "crashing-for-tests"

    def fail(self, *args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError("internal detail 0xDEADBEEF")


register(FailingTracker.kind, FailingTracker)
register(CrashingTracker.kind, CrashingTracker)


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def notebook(jp_root_dir: Path) -> Path:
    return project_with_an_ask(jp_root_dir)


def test_unknown_issue_is_404(api: Api, notebook: Path) -> None:
    reply = api.call("GET", "issues/99")
    assert reply.code == 404
    assert reply.error == {
        "message": "issue #99 does not exist in the local tracker",
        "hint": "The list of all issues, closed ones too, shows their numbers.",
        "action": {"name": "list_issues", "args": {"state": "all"}},
    }
    assert api.call("POST", "issues", {"type": "Explore", "title": "x", "ask": 99}).code == 404
    assert issue_numbers(notebook) == [1]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "the request body is not valid JSON"),
        (b"", "the request needs a JSON object body"),
        (b"[1, 2]", "the request body must be a JSON object, not an array"),
        (b'"Ask"', "the request body must be a JSON object, not a string"),
        (b'{"title": "x"}', "the request body needs the field 'type'"),
        (b'{"type": "Ask"}', "the request body needs the field 'title'"),
        (b'{"type": "Ask", "title": 5}', "field 'title' must be a string, not a number"),
        (b'{"type": "Ask", "title": null}', "field 'title' must be a string, not null"),
        (b'{"type": "Explore", "title": "x", "ask": "one"}', "'one' is not an issue number"),
        (b'{"type": "Explore", "title": "x", "ask": [1]}', "field 'ask' must be an issue number"),
        (b'{"type": "Explore", "title": "x", "ask": true}', "field 'ask' must be an issue number"),
        (b'{"type": "Explore", "title": "x", "ask": 0}', "field 'ask' must be an issue number"),
        (b'{"type": "Ask", "title": "x", "sections": ["a"]}', "field 'sections' must be an object"),
        (
            b'{"type": "Ask", "title": "x", "sections": {"Metrics": 1}}',
            "section 'Metrics' of field 'sections'",
        ),
        (b'{"type": "Ask", "title": "x", "titel": "y"}', "unknown field(s) in the request body: titel"),
        (b'{"type": "Bogus", "title": "x"}', "unknown issue type 'Bogus'"),
        (b'{"type": "Ask", "title": "x", "sections": {"Nope": "y"}}', "Ask issues have no section 'nope'"),
        (b'{"type": "Ask", "title": "   "}', "an issue needs a title"),
        (b'{"type": "Ask", "title": "x", "path": 3}', "field 'path' must be a string"),
    ],
)
def test_bad_create_bodies_are_400(api: Api, notebook: Path, body: bytes, message: str) -> None:
    reply = api.call("POST", "issues", body=body)
    assert reply.code == 400, reply.body
    assert reply.error["message"].startswith(message), reply.error
    assert issue_numbers(notebook) == [1]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"nope", "the request body is not valid JSON"),
        (b"{}", "the request body needs the field 'number'"),
        (b'{"number": "one"}', "'one' is not an issue number"),
        (b'{"number": 1.5}', "field 'number' must be an issue number"),
        (b'{"number": -1}', "field 'number' must be an issue number"),
        (b'{"number": 99999999999999999999}', "field 'number' must be an issue number"),
        (b'{"number": 1, "extra": 2}', "unknown field(s) in the request body: extra"),
    ],
)
def test_bad_link_bodies_are_400_and_leave_the_file(
    api: Api, notebook: Path, body: bytes, message: str
) -> None:
    before = notebook.read_bytes()
    reply = api.call("PUT", f"links/{NOTEBOOK}", body=body)
    assert reply.code == 400, reply.body
    assert reply.error["message"].startswith(message), reply.error
    assert notebook.read_bytes() == before


def test_an_ask_that_is_not_an_ask_is_400_and_hash_n_is_an_issue_number(api: Api, notebook: Path) -> None:
    tracker = local_tracker(notebook)
    try:
        explore = tracker.create("Churn by region", "", ["Explore"])
        tracker.close(explore.number, "completed")
    finally:
        tracker.close_connection()
    reply = api.call("POST", "issues", {"type": "Explore", "title": "x", "ask": explore.number})
    assert reply.code == 400, reply.body
    assert reply.error["message"] == f"#{explore.number} is of type Explore, not an Ask"
    assert sorted(issue_numbers(notebook)) == [1, explore.number]  # nothing created
    created = api.call("POST", "issues", {"type": "Explore", "title": "By tenure", "ask": "#1"})
    assert created.code == 201, created.body
    assert created.json["issue"]["ask"] == 1
    assert api.get("issues/#1")["issue"]["number"] == 1  # sent as issues/%231
    linked = api.call("PUT", f"links/{NOTEBOOK}", {"number": f"#{created.json['issue']['number']}"})
    assert linked.code == 200, linked.body


def test_bad_query_values_are_400(api: Api, notebook: Path) -> None:
    for route, params, message in (
        ("issues", {"state": "bogus"}, "unknown state 'bogus'"),
        ("issues", {"type": "Bogus"}, "unknown issue type 'Bogus'"),
        ("issues/abc", None, "'abc' is not an issue number"),
        ("issues/0", None, "the issue number must be an issue number"),
        ("issues/²", None, "'²' is not an issue number"),
    ):
        reply = api.call("GET", route, params=params)
        assert reply.code == 400, (route, reply.body)
        assert reply.error["message"].startswith(message), reply.error
        assert reply.error["hint"] is None or isinstance(reply.error["hint"], str)


def test_linking_an_unknown_issue_is_404_and_leaves_the_file(api: Api, notebook: Path) -> None:
    before = notebook.read_bytes()
    reply = api.call("PUT", f"links/{NOTEBOOK}", {"number": 42})
    assert reply.code == 404
    assert "#42" in reply.error["message"]
    assert notebook.read_bytes() == before


def test_files_that_are_not_notebooks(api: Api, notebook: Path, jp_root_dir: Path) -> None:
    text = jp_root_dir / "notes.txt"
    text.write_text("not a notebook\n", encoding="utf-8")
    broken = jp_root_dir / "broken.ipynb"
    broken.write_bytes(b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5,,}\n')
    invalid = jp_root_dir / "invalid.ipynb"
    invalid.write_bytes(b'{"cells": "no", "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')
    cases = [
        ("notes.txt", 400, "notes.txt is not a notebook (.ipynb)"),
        ("notebooks", 400, "notebooks is a directory, not a notebook"),
        ("missing.ipynb", 404, "notebook missing.ipynb not found"),
        ("broken.ipynb", 400, "broken.ipynb is not a valid notebook: invalid JSON at line 1"),
        ("invalid.ipynb", 400, "invalid.ipynb is not a valid notebook"),
    ]
    files = [text, broken, invalid]
    before = [path.read_bytes() for path in files]
    for name, status, message in cases:
        for method, payload in (("GET", None), ("PUT", {"number": 1}), ("DELETE", None)):
            reply = api.call(method, f"links/{name}", payload)
            assert reply.code == status, (name, method, reply.body)
            assert reply.error["message"].startswith(message), reply.error  # relative to the root
            assert [path.read_bytes() for path in files] == before  # byte-for-byte untouched
    assert not (jp_root_dir / "missing.ipynb").exists()


def test_a_bad_dsl_toml_is_422_naming_the_file(api: Api, notebook: Path, jp_root_dir: Path) -> None:
    (jp_root_dir / "dsl.toml").write_text("[tracker\nkind = 'local'\n", encoding="utf-8")
    reply = api.call("GET", "issues")
    assert reply.code == 422
    assert reply.error["message"].startswith("dsl.toml: invalid TOML"), reply.error
    assert "line 1" in reply.error["message"]


def test_a_failing_tracker_is_502(api: Api, jp_root_dir: Path) -> None:
    notebook = project_with_tracker(jp_root_dir / "p", FailingTracker.kind)
    before = notebook.read_bytes()
    expected = {"message": DOWN, "hint": "Try again later.", "action": None}
    for method, route, payload, params in (
        ("GET", "issues", None, {"path": "p"}),
        ("POST", "issues", {"path": "p", "type": "Ask", "title": "x"}, None),
        ("GET", "issues/1", None, {"path": "p"}),
        ("PUT", "links/p/nb.ipynb", {"number": 1}, None),
    ):
        reply = api.call(method, route, payload, params=params)
        assert reply.code == 502, (method, route, reply.body)
        assert reply.error == expected
    assert notebook.read_bytes() == before
    # the cached link still shows when the tracker cannot answer
    status = api.get("links/p/nb.ipynb")
    assert status["link"]["issue"]["number"] == 1
    assert status["issue"] is None
    assert status["issue_error"] == expected["message"]


def test_an_unexpected_error_is_a_generic_500_with_a_logged_traceback(
    api: Api, jp_root_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project_with_tracker(jp_root_dir / "p", CrashingTracker.kind)
    with caplog.at_level(logging.ERROR):
        reply = api.call("GET", "issues", params={"path": "p"})
    assert reply.code == 500
    assert reply.error == {
        "message": "jupyter-dsl hit an unexpected error; the Jupyter server log has the details.",
        "hint": None,
        "action": None,
    }
    assert b"DEADBEEF" not in reply.body
    logged = [r for r in caplog.records if r.exc_info and isinstance(r.exc_info[1], RuntimeError)]
    assert logged, [r.getMessage() for r in caplog.records]
    assert "0xDEADBEEF" in str(logged[0].exc_info[1])  # type: ignore[index]


class TestOutsideAnyProject:
    @pytest.fixture
    def jp_root_dir(self, tmp_path: Path) -> Path:
        root = tmp_path / "plain"
        (root / "nb").mkdir(parents=True)
        return root

    def test_routes_say_how_to_make_a_project(self, api: Api, tmp_path: Path) -> None:
        for method, route, payload in (
            ("GET", "project", None),
            ("GET", "issues", None),
            ("POST", "issues", {"type": "Ask", "title": "x"}),
            ("GET", "issues/1", None),
        ):
            reply = api.call(method, route, payload)
            assert reply.code == 404, reply.body
            error: dict[str, Any] = reply.error
            assert error["message"].startswith("the Jupyter root directory is not inside a DSLP project")
            assert "jupyter dsl" not in error["hint"] and "DSLP project" in error["hint"]
            assert error["action"] == {"name": "init", "args": {"directory": ""}}  # the root, as an API path
            assert str(tmp_path) not in error["message"]
        assert list((tmp_path / "plain").iterdir()) == [tmp_path / "plain" / "nb"]  # nothing was created
