"""Change one setting of ``dsl.toml`` in place: the line of that key, every comment and other line kept."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from ..errors import ConfigError
from .atomic_write import write_text_atomic
from .settings import Settings, settings_from_dict

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_TABLE = re.compile(r"^[ \t]*\[(?P<name>[^\[\]]+)\][ \t]*(#.*)?$")


def with_setting(text: str, table: str, key: str, value: str) -> str:
    """``text`` (a dsl.toml) with ``key = "value"`` in ``[table]``: the key's line replaced, else added
    under the table's header, else the table added at the end."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    setting = f"{key} = {json.dumps(value)}"
    key_line = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=")
    header = None
    for index, line in enumerate(lines):
        found = _TABLE.match(line)
        if found is not None:
            if header is not None:
                break
            if found["name"].strip() == table:
                header = index
            continue
        if header is not None and key_line.match(line):
            ending = line[len(line.rstrip("\r\n")) :]
            lines[index] = setting + (ending or newline)
            return "".join(lines)
    if header is not None:
        lines.insert(header + 1, setting + newline)
        return "".join(lines)
    tail = "" if not text or text.endswith("\n") else newline
    return f"{text}{tail}{newline}[{table}]{newline}{setting}{newline}"


def checked_settings(text: str, source: str) -> Settings:
    """The settings ``text`` holds; ConfigError when it is not a valid dsl.toml."""
    try:
        return settings_from_dict(tomllib.loads(text), source=source)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML: {exc}") from exc


def set_tracker_kind_text(path: Path, kind: str) -> str:
    """The new text of ``path`` with ``[tracker] kind = kind``, checked to parse to exactly that."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    new = with_setting(text, "tracker", "kind", kind)
    if checked_settings(new, str(path)).tracker.kind != kind:
        raise ConfigError(f"{path}: cannot set [tracker] kind = {kind!r} by editing one line")
    return new


def write_config(path: Path, text: str) -> None:
    """Write a dsl.toml's new text atomically (a reader sees the old file or the new one)."""
    write_text_atomic(path, text)
