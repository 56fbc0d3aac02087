"""Reading request bodies and query values: anything malformed is an ``InvalidInput`` (HTTP 400)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..dslp.issue_numbers import parse_issue_number
from ..errors import InvalidInput


def parse_object(raw: bytes, allowed: Iterable[str]) -> dict[str, Any]:
    """A JSON object body whose keys are all in ``allowed``."""
    if not raw.strip():
        raise InvalidInput("the request needs a JSON object body")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"the request body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"the request body must be a JSON object, not {_json_type(data)}")
    valid = list(allowed)
    unknown = sorted(set(data) - set(valid))
    if unknown:
        raise InvalidInput(
            f"unknown field(s) in the request body: {', '.join(unknown)}",
            hint=f"Valid fields: {', '.join(valid)}.",
        )
    return data


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def required_str(data: dict[str, Any], name: str) -> str:
    if name not in data:
        raise InvalidInput(f"the request body needs the field {name!r}")
    value = optional_str(data, name)
    assert value is not None
    return value


def optional_str(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        if name in data:
            raise InvalidInput(f"field {name!r} must be a string, not null")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"field {name!r} must be a string, not {_json_type(value)}")
    return value


def flag(data: dict[str, Any], name: str, default: bool) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise InvalidInput(f"field {name!r} must be true or false")
    return value


def required_number(data: dict[str, Any], name: str) -> int:
    if name not in data:
        raise InvalidInput(f"the request body needs the field {name!r}")
    value = optional_number(data, name)
    if value is None:
        raise InvalidInput(f"field {name!r} must be an issue number, not null")
    return value


def optional_number(data: dict[str, Any], name: str) -> int | None:
    """An issue number (a positive integer, or text as a user writes it: "4", "#4") or null/absent."""
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(
            f'field {name!r} must be an issue number (a positive integer or "#N"), not {_json_type(value)}'
        )
    return parse_issue_number(value, f"field {name!r}")


def issue_number(text: str) -> int:
    """An issue number from a URL segment (``4``, or ``#4`` sent as ``%234``)."""
    return parse_issue_number(text)


def optional_sections(data: dict[str, Any], name: str) -> dict[str, str] | None:
    """An object of template section heading -> text."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput(
            f"field {name!r} must be an object of section heading -> text, not {_json_type(value)}"
        )
    for heading, text in value.items():
        if not isinstance(text, str):
            raise InvalidInput(f"section {heading!r} of field {name!r} must be text, not {_json_type(text)}")
    return dict(value)
