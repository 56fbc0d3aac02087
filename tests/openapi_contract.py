"""The REST API's OpenAPI description (jupyter_dsl/server/openapi/) as the tests read it.

``contract().check(method, route, status, content_type, body)`` fails (AssertionError) when an answer
is not what the description promises: an answer other than 404 (405) to a path (method) it does not
describe, a status the operation does not list, a content type it does not list, or a JSON body that
does not match the schema (a missing required field, a field of the wrong type, a field a closed
object does not have).
``server_support.Api`` calls it for every answer of a /jupyter-dsl/ route the server tests receive.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry
from referencing.jsonschema import DRAFT202012

import jupyter_dsl.server

FOLDER = Path(jupyter_dsl.server.__file__).parent / "openapi"
ROOT = "openapi.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAMETER = re.compile(r"\{([^}]+)\}")


def _absolute_refs(node: Any, base: str) -> Any:
    """``node`` with every ``$ref`` made absolute against the URI of the file it is in."""
    if isinstance(node, dict):
        return {
            key: urljoin(base, value)
            if key == "$ref" and isinstance(value, str)
            else _absolute_refs(value, base)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_absolute_refs(item, base) for item in node]
    return node


@dataclass(frozen=True)
class Route:
    template: str  # as the description names it: /jupyter-dsl/links/{path}/prepare
    pattern: re.Pattern[str]
    literal: int  # characters outside parameters: the more, the more specific (links/{path}/prepare)
    item: dict[str, Any]  # the path item, references followed


def route_pattern(template: str) -> re.Pattern[str]:
    """As the server routes: ``{path}`` (an API path) may hold ``/``, any other parameter may not."""
    parts, end = [], 0
    for match in _PARAMETER.finditer(template):
        parts.append(re.escape(template[end : match.start()]))
        parts.append("(.+)" if match.group(1) == "path" else "([^/]+)")
        end = match.end()
    parts.append(re.escape(template[end:]))
    return re.compile("".join(parts) + r"\Z")


class Description:
    """The description's files, references resolved, and the checks of answers against it."""

    def __init__(self, folder: Path = FOLDER) -> None:
        self.documents = {
            path.as_uri(): _absolute_refs(yaml.safe_load(path.read_text(encoding="utf-8")), path.as_uri())
            for path in sorted(folder.glob("*.yaml"))
        }
        self.registry: Registry[Any] = Registry().with_resources(
            (uri, DRAFT202012.create_resource(document)) for uri, document in self.documents.items()
        )
        self.root = self.documents[(folder / ROOT).as_uri()]
        self.routes = [
            Route(template, route_pattern(template), len(_PARAMETER.sub("", template)), self.follow(item))
            for template, item in self.root["paths"].items()
        ]

    def follow(self, node: Any) -> Any:
        """A Reference Object's target (a path item, response or parameter); anything else as it is."""
        while isinstance(node, dict) and set(node) == {"$ref"}:
            node = self.registry.resolver().lookup(node["$ref"]).contents
        return node

    def operations(self, template: str) -> dict[str, Any]:
        item = next(route.item for route in self.routes if route.template == template)
        return {method.upper(): item[method] for method in METHODS if method in item}

    def route(self, path: str) -> Route | None:
        """The described route a request path (relative to the server's base URL) goes to."""
        matching = [route for route in self.routes if route.pattern.match(path)]
        return max(matching, key=lambda route: route.literal, default=None)

    def check(self, method: str, path: str, status: int, content_type: str, body: bytes) -> None:
        """A path the description does not have is not the server's either (404); nor is a method (405)."""
        route = self.route(path)
        if route is None:
            assert status == 404, f"{method} {path} answered {status}: the description has no such path"
            return
        operation = route.item.get(method.lower())
        if operation is None:
            assert status == 405, f"{method} {route.template} answered {status}: no such operation"
            return
        what = f"{method} {route.template} ({operation['operationId']})"
        responses = operation["responses"]
        assert str(status) in responses, f"{what} answered {status}, not one of {sorted(responses)}"
        content = self.follow(responses[str(status)]).get("content", {})
        media = content_type.partition(";")[0].strip()
        assert media in content, f"{what} answered {status} as {media!r}; described: {sorted(content)}"
        if media == "application/json":
            self.validate(json.loads(body), content[media]["schema"], f"{what} answered {status} with")

    def validate(self, data: Any, schema: dict[str, Any], what: str) -> None:
        validator = Draft202012Validator(schema, registry=self.registry)
        problems = [_said(best_match([error])) for error in validator.iter_errors(data)]
        assert not problems, f"{what} a body the description does not allow:\n" + "\n".join(problems)


def _said(error: Any) -> str:
    return f"{error.json_path}: {error.message}"


@functools.cache
def contract() -> Description:
    return Description()
