"""The OpenAPI check of the test GitHub server's traffic (tests/forges/github_spec.py) rejects what
GitHub would reject, so the tracker tests that rely on it can fail."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.forges.github_server import Exchange
from tests.forges.github_spec import github_spec


def exchange(method: str, path: str, body: Any = None, query: dict[str, list[str]] | None = None,
             status: int = 200, response: Any = None, route: str | None = "known") -> Exchange:  # fmt: skip
    payload = json.dumps(response).encode() if response is not None else b""
    return Exchange(method, path, query or {}, body, True, status, payload, route)


LABELS = "/repos/octo/demo/issues/3/labels"


@pytest.mark.parametrize(
    ("request_", "complaint"),
    [
        (exchange("GET", "/repos/octo/demo/tickets"), "GitHub has no such operation"),
        (exchange("POST", "/repos/octo/demo/issues/3"), "GitHub has no such operation"),
        (exchange("PUT", LABELS, {"labels": []}, route=None), "is not valid under any of the given schemas"),
        (
            exchange("PATCH", "/repos/octo/demo/issues/3", {"status": "closed"}, route=None),
            "'status' was unexpected",
        ),
        (exchange("PATCH", "/repos/octo/demo/issues/3", {"state": "done"}, route=None), "is not one of"),
        (
            exchange("GET", "/repos/octo/demo/issues", query={"status": ["open"]}, route=None),
            "unknown query parameter",
        ),
        (
            exchange("GET", "/repos/octo/demo/issues", query={"state": ["any"]}, route=None),
            "query state='any'",
        ),
        (exchange("GET", "/repos/octo/demo/issues/3", status=418, response={}), "documents no 418 answer"),
        (exchange("GET", "/repos/octo/demo/labels", response=[{"name": "x"}]), "breaks GitHub's schema"),
    ],
)
def test_what_github_would_reject_is_reported(request_: Exchange, complaint: str) -> None:
    problems = github_spec().check(request_)
    assert len(problems) == 1 and complaint in problems[0], problems


def test_a_valid_exchange_passes() -> None:
    label = {"id": 1, "node_id": "LA_1", "url": "https://x/labels/bug", "name": "bug", "description": None,
             "color": "d73a4a", "default": False}  # fmt: skip
    assert github_spec().check(exchange("PUT", LABELS, {"labels": ["bug"]}, response=[label])) == []
    assert (
        github_spec().check(
            exchange(
                "GET", "/repos/octo/demo/issues", query={"state": ["all"], "per_page": ["100"]}, status=304
            )
        )
        == []
    )
