"""Paths are confined to the server root: ``..`` (raw and encoded), absolute paths and symlinks out
are refused with 403 before anything is read or written, and the file outside stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from server_support import NOTEBOOK, Api, api, issue_numbers, local_tracker, make_project, server_config
from traitlets.config import Config

__all__ = ["api"]  # the fixture, imported for pytest


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def outside(tmp_path: Path, jp_root_dir: Path) -> Path:
    """A linkable notebook in a project NEXT TO the server root (tmp/outside vs tmp/root_dir), with
    issue #1 in its tracker: without confinement, linking it would succeed."""
    make_project(jp_root_dir)
    secret = make_project(tmp_path / "outside", "secret.ipynb")
    tracker = local_tracker(secret)
    try:
        tracker.create("Outside issue", "", ["Ask"])
    finally:
        tracker.close_connection()
    (jp_root_dir / "escape.ipynb").symlink_to(secret)
    (jp_root_dir / "outdir").symlink_to(tmp_path / "outside", target_is_directory=True)
    return secret


def refused(api: Api, outside: Path, method: str, url: str, payload: object = None) -> None:
    before = outside.read_bytes()
    reply = api.raw(method, url, payload)
    assert reply.code == 403, (method, url, reply.code, reply.body)
    error = reply.error
    assert "refused" in error["message"] or "outside the server root" in error["message"], error
    server_root = outside.parent.parent / "root_dir"
    assert str(server_root) not in error["message"]  # the server's own paths stay private
    assert outside.read_bytes() == before
    assert issue_numbers(outside) == [1]


LINK_PATHS = [
    "../outside/secret.ipynb",  # raw
    "%2e%2e/outside/secret.ipynb",  # encoded dots
    "%2E%2E%2Foutside%2Fsecret.ipynb",  # encoded dots and slashes
    "notebooks/../../outside/secret.ipynb",  # nested
    "notebooks/%2e%2e/%2e%2e/outside/secret.ipynb",
    "..%5Coutside%5Csecret.ipynb",  # backslashes
]


@pytest.mark.parametrize("link_path", LINK_PATHS)
def test_dot_dot_in_a_link_path_is_refused(api: Api, outside: Path, link_path: str) -> None:
    url = f"{api.base_url}/jupyter-dsl/links/{link_path}"
    refused(api, outside, "GET", url)
    refused(api, outside, "PUT", url, {"number": 1})
    refused(api, outside, "DELETE", url)


@pytest.mark.parametrize("query", ["..%2Foutside", "../outside", "%2e%2e/outside", "notebooks/../.."])
def test_dot_dot_in_a_query_path_is_refused(api: Api, outside: Path, query: str) -> None:
    for route in ("project", "issues", "issues/1"):
        refused(api, outside, "GET", f"{api.base_url}/jupyter-dsl/{route}?path={query}")


def test_dot_dot_in_a_body_path_is_refused(api: Api, outside: Path) -> None:
    url = api.url("issues")
    refused(api, outside, "POST", url, {"path": "../outside", "type": "Ask", "title": "Sneaked in"})
    refused(api, outside, "POST", url, {"path": str(outside.parent), "type": "Ask", "title": "Sneaked in"})


def test_absolute_paths_are_refused(api: Api, outside: Path) -> None:
    absolute = outside.as_posix()
    for url in (
        f"{api.base_url}/jupyter-dsl/links/{absolute}",  # ...links//tmp/...
        f"{api.base_url}/jupyter-dsl/links/{absolute.replace('/', '%2F')}",
    ):
        refused(api, outside, "GET", url)
        refused(api, outside, "PUT", url, {"number": 1})
        refused(api, outside, "DELETE", url)
    for route in ("project", "issues"):
        refused(api, outside, "GET", api.url(route, {"path": str(outside.parent)}))


@pytest.mark.parametrize("link_path", ["escape.ipynb", "outdir/secret.ipynb"])
def test_symlinks_out_of_the_root_are_refused(api: Api, outside: Path, link_path: str) -> None:
    url = api.url(f"links/{link_path}")
    refused(api, outside, "GET", url)
    refused(api, outside, "PUT", url, {"number": 1})
    refused(api, outside, "DELETE", url)
    refused(api, outside, "GET", api.url("project", {"path": "outdir"}))
    refused(api, outside, "GET", api.url("issues", {"path": "outdir/secret.ipynb"}))


def test_the_root_itself_and_paths_inside_still_work(api: Api, outside: Path) -> None:
    assert api.get("project", path="")["root"] == ""
    assert api.get("project", path=".")["root"] == ""
    assert api.get("project", path="notebooks/./")["root"] == ""
    assert api.get(f"links/./{NOTEBOOK}")["path"] == NOTEBOOK


def test_hidden_paths_are_refused_like_the_contents_api_does(api: Api, jp_root_dir: Path) -> None:
    make_project(jp_root_dir)
    hidden = jp_root_dir / ".secret" / "hidden.ipynb"
    hidden.parent.mkdir()
    hidden.write_bytes((jp_root_dir / NOTEBOOK).read_bytes())
    before = hidden.read_bytes()
    # Jupyter's own contents API refuses it too (allow_hidden is False by default).
    assert api.raw("GET", f"{api.base_url}/api/contents/.secret/hidden.ipynb").code == 404
    for method, payload in (("GET", None), ("PUT", {"number": 1}), ("DELETE", None)):
        reply = api.raw(method, api.url("links/.secret/hidden.ipynb"), payload)
        assert reply.code == 403, (method, reply.code, reply.body)
        assert "hidden" in reply.error["message"]
    assert hidden.read_bytes() == before
