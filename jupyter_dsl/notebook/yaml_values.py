"""Parameter values written as YAML: config files (``-f``) and single values (``-p``, ``%dsl record``).

Safe YAML in which dates stay strings, and errors that name the file, line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError


class _Loader(yaml.SafeLoader):
    """Safe YAML in which dates stay strings ("2024-01-31" is a str parameter, not a date)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_scalar(text: str) -> Any:
    """A ``-p`` / ``%dsl record`` value read as YAML (``3``, ``0.1``, ``true``, ``[1, 2]``), else the text."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError:
        return text


def load_config(path: Path, hint: str | None = None) -> dict[str, Any]:
    """One YAML config file: a mapping of parameter name to value (``hint``: what to say of any error)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} not found", hint=hint) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc}", hint=hint) from exc
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"config file {path} is not valid YAML{where}: {problem}", hint=hint) from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ConfigError(
            f"config file {path} must be a mapping of parameter names to values, not {type(data).__name__}",
            hint=hint,
        )
    return data
