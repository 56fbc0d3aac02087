"""Checks the test GitHub server's traffic against GitHub's published OpenAPI description (the npm
package ``@octokit/openapi``, a devDependency, so ``jlpm install`` puts it in ``node_modules``).

A request the tracker makes must be one GitHub has: the method and path template exist, every query
parameter is one the operation takes (with a valid value), and the JSON body validates against the
operation's request schema, with no properties the schema does not name. A server answer is checked
against the documented status codes and, for issues, comments and labels, the response schema.

    with checked_server("octo/demo", token=TOKEN) as server:   # fails on exit if a check failed
        ...
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jsonschema

from .github_server import Exchange, GitHubServer

SPEC = Path(__file__).resolve().parents[2] / "node_modules/@octokit/openapi/generated/api.github.com.json"
# Pull request objects carry whole repository objects that the test server does not render.
_RESPONSES_NOT_CHECKED = re.compile(r"/pulls")
# Answers any operation can give without listing them: a conditional GET's 304, a bad or missing
# token's 401, a rate limit's 403 (https://docs.github.com/rest/using-the-rest-api).
_ANY_OPERATION = {
    304: {"GET"},
    401: {"GET", "POST", "PATCH", "PUT", "DELETE"},
    403: {"GET", "POST", "PATCH", "PUT", "DELETE"},
}


def _nullable(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable: true`` as JSON Schema (``type: [t, "null"]``), everywhere."""
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable(value) for key, value in node.items()}
    if out.pop("nullable", False):
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            return {"anyOf": [out, {"type": "null"}]}
    return out


def _closed(schema: Any) -> Any:
    """The schema with ``additionalProperties: false`` on its top-level objects: GitHub ignores an
    unknown field, so sending one is a bug on our side that would otherwise pass unnoticed."""
    schema = copy.deepcopy(schema)
    for option in [schema, *schema.get("oneOf", []), *schema.get("anyOf", [])]:
        if option.get("type") == "object" and "properties" in option:
            option.setdefault("additionalProperties", False)
    return schema


class GitHubSpec:
    def __init__(self, path: Path = SPEC) -> None:
        spec = json.loads(path.read_text(encoding="utf-8"))
        self.components = _nullable(spec["components"])
        self.operations: list[tuple[re.Pattern[str], str, dict[str, Any]]] = []
        for template, item in spec["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
            self.operations.append((pattern, template, item))

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            section, name = node["$ref"].split("/")[-2:]
            node = self.components[section][name]
        return node

    def _validate(self, instance: Any, schema: Any) -> str | None:
        validator = jsonschema.Draft4Validator({**schema, "components": self.components})
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        return None if error is None else f"{error.message} at {list(error.absolute_path)}"

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for pattern, template, item in self.operations:
            if pattern.match(path) and method.lower() in item:
                return template, item[method.lower()]
        return None

    def check(self, exchange: Exchange) -> list[str]:
        """What GitHub would reject about this request, or where our answer breaks GitHub's schema."""
        where = f"{exchange.method} {exchange.path}"
        found = self.operation(exchange.method, exchange.path)
        if found is None:
            return [f"{where}: GitHub has no such operation"]
        template, operation = found
        problems = []
        parameters = {
            p["name"]: p for p in map(self._resolve, operation.get("parameters", [])) if p["in"] == "query"
        }
        for name, values in exchange.query.items():
            if name not in parameters:
                problems.append(f"{where}: unknown query parameter {name!r}")
                continue
            schema = parameters[name]["schema"]
            if error := self._validate(_typed(values[0], schema), schema):
                problems.append(f"{where}: query {name}={values[0]!r}: {error}")
        body = operation.get("requestBody")
        if exchange.body is not None:
            if body is None:
                problems.append(f"{where}: GitHub takes no request body here")
            else:
                schema = _closed(_nullable(body["content"]["application/json"]["schema"]))
                if error := self._validate(exchange.body, schema):
                    problems.append(f"{where}: request body {exchange.body!r}: {error}")
        elif body is not None and body.get("required"):
            problems.append(f"{where}: GitHub requires a request body")
        if exchange.route is None or _RESPONSES_NOT_CHECKED.search(template):
            return problems  # an injected fault, or a response we do not render in full
        response = operation["responses"].get(str(exchange.status))
        if (
            response is None
            and exchange.status in _ANY_OPERATION
            and exchange.method in _ANY_OPERATION[exchange.status]
        ):
            return problems
        if response is None:
            return [*problems, f"{where}: GitHub documents no {exchange.status} answer"]
        content = self._resolve(response).get("content", {}).get("application/json")
        checked = content is not None and exchange.response and 200 <= exchange.status < 300
        if checked and (error := self._validate(exchange.response_json(), content["schema"])):
            problems.append(f"{where}: our {exchange.status} answer breaks GitHub's schema: {error}")
        return problems


def _typed(value: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer" and value.lstrip("-").isdigit():
        return int(value)
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value


@functools.lru_cache(maxsize=1)
def github_spec() -> GitHubSpec:
    path = Path(os.environ.get("DSL_GITHUB_OPENAPI", SPEC))
    if not path.is_file():
        raise AssertionError(f"{path} is missing: run `jlpm install` (it installs @octokit/openapi)")
    return GitHubSpec(path)


def spec_problems(server: GitHubServer) -> list[str]:
    spec = github_spec()
    return [problem for exchange in list(server.exchanges) for problem in spec.check(exchange)]


@contextmanager
def checked_server(repo: str = "octo/demo", **options: Any) -> Iterator[GitHubServer]:
    """A running GitHubServer whose whole traffic must match GitHub's API description."""
    with GitHubServer(repo, **options) as server:
        yield server
    problems = spec_problems(server)
    assert not problems, "requests GitHub would reject, or answers unlike GitHub's:\n" + "\n".join(problems)
