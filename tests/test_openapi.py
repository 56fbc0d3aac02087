"""The OpenAPI description of /jupyter-dsl/ is valid, names exactly the server's routes, and its checks
of answers (run on every answer the server tests receive, see server_support.Api) can fail."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_contract import FOLDER, ROOT, Description, contract
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
from server_support import Api, api, implemented_methods, make_project, server_config
from traitlets.config import Config

from jupyter_dsl._version import __version__
from jupyter_dsl.server.handlers import ROUTES

__all__ = ["api"]  # the fixture, imported for pytest

JSON = "application/json"
VERSION = "/jupyter-dsl/version"


def test_the_description_is_valid_openapi_3_1() -> None:
    spec, base_uri = read_from_filename(str(FOLDER / ROOT))
    assert spec["openapi"].startswith("3.1.")
    validate(spec, base_uri=base_uri)  # follows the references into the other files


def test_it_names_the_package_version() -> None:
    assert contract().root["info"]["version"] == __version__


def _shape(template: str) -> str:
    """A route by its shape: ``{path}`` (an API path, may hold ``/``) or ``{}`` (one segment)."""
    return re.sub(r"\{(?!path\})[^}]+\}", "{}", template)


def test_every_route_is_described_and_every_described_route_exists() -> None:
    served = {
        _shape(pattern.replace("(.+)", "{path}").replace("([^/]+)", "{}")): set(implemented_methods(handler))
        for pattern, handler in ROUTES
    }
    paths = contract().root["paths"]
    described = {_shape(template): set(contract().operations(template)) for template in paths}
    assert sorted(served) == sorted(described)
    assert served == described
    for route in contract().routes:  # the checker routes requests as tornado does
        assert route.pattern.pattern.count("(.+)") == route.template.count("{path}")


def test_every_wire_type_has_a_name_in_the_root() -> None:
    """Each shape an area file defines is listed in openapi.yaml's components, so that the generated
    TypeScript names it (``components['schemas']['RunRecord']``)."""
    root = contract().root["components"]["schemas"]
    indexed = {name: value["$ref"] for name, value in root.items() if "$ref" in value}
    defined = {
        name: f"{path.as_uri()}#/schemas/{name}"
        for path in FOLDER.glob("*.yaml")
        for name in yaml.safe_load(path.read_text(encoding="utf-8")).get("schemas", {})
    }
    assert indexed == defined


@pytest.mark.parametrize(
    ("method", "path", "status", "content_type", "body", "said"),
    [
        ("GET", VERSION, 404, JSON, b'{"message": "x", "hint": null}', "not one of"),
        ("GET", VERSION, 200, JSON, b"{}", "'version' is a required property"),
        ("GET", VERSION, 200, JSON, b'{"version": 1}', "1 is not of type 'string'"),
        ("GET", VERSION, 200, JSON, b'{"version": "1", "extra": 2}', "('extra' was unexpected)"),
        ("GET", VERSION, 200, "text/html", b"<p>1</p>", "answered 200 as 'text/html'"),
        ("GET", VERSION, 403, JSON, b'{"message": "no"}', "'hint' is a required property"),
        ("GET", "/jupyter-dsl/undescribed", 200, JSON, b"{}", "no such path"),
        ("DELETE", VERSION, 200, JSON, b"{}", "no such operation"),
        ("GET", "/jupyter-dsl/runs", 200, JSON, b'{"runs": [{"id": 1}], "varying_parameters": [],'
         b' "metrics": [], "total": 1}', "$.runs[0]"),
    ],
)  # fmt: skip
def test_an_answer_the_description_does_not_allow_fails(
    method: str, path: str, status: int, content_type: str, body: bytes, said: str
) -> None:
    with pytest.raises(AssertionError) as failed:
        contract().check(method, path, status, content_type, body)
    assert said in str(failed.value)


def test_answers_it_allows_pass() -> None:
    contract().check("GET", VERSION, 200, "application/json; charset=UTF-8", b'{"version": "0.1.0"}')
    contract().check("GET", VERSION, 403, JSON, b'{"message": "Forbidden", "hint": null, "action": null}')
    contract().check("GET", "/jupyter-dsl/issues/notebooks/a.ipynb", 404, "text/html", b"<html/>")
    not_allowed = b'{"message": "Method Not Allowed", "hint": null, "action": null}'
    contract().check("PATCH", VERSION, 405, JSON, not_allowed)
    prepare = Description().route("/jupyter-dsl/links/a/b.ipynb/prepare")
    assert prepare is not None and prepare.template == "/jupyter-dsl/links/{path}/prepare"


def _references(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].partition("#")[0]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(item) for item in node))
    return set()


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


def test_the_server_serves_the_description_read_only(api: Api, jp_root_dir: Path) -> None:
    make_project(jp_root_dir)
    wanted, served = {ROOT}, {}
    while wanted - set(served):  # the root, then every file its references reach, as a client would
        name = sorted(wanted - set(served))[0]
        reply = api.call("GET", f"openapi/{name}")
        assert reply.code == 200, (name, reply.body)
        assert reply.headers["Content-Type"] == "application/yaml"
        assert reply.body == (FOLDER / name).read_bytes()
        served[name] = yaml.safe_load(reply.body)
        wanted |= _references(served[name]) - {""}
    assert set(served) == {path.name for path in FOLDER.glob("*.yaml")}
    for name in ("nothing.yaml", "../handlers/meta.py", "..%2Fopenapi.yaml", "openapi.yaml.bak"):
        reply = api.raw("GET", api.url("openapi/") + name)
        assert reply.code in (403, 404), (name, reply.code)
        assert b"openapi: " not in reply.body
    assert api.call("PUT", "openapi/openapi.yaml", {"x": 1}).code == 405
