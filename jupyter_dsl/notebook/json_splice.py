"""Edit one key of a JSON document's text and leave every other byte as it was.

Rewriting a notebook through ``json.dumps`` would reformat cells and metadata that the user
(or another tool) wrote differently; linking a notebook must change its link and nothing else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True)
class Member:
    key: str
    key_start: int  # index of the key's opening quote
    value_start: int
    value_end: int  # one past the value


@dataclass(frozen=True)
class ObjectSpan:
    start: int  # index of "{"
    end: int  # one past "}"
    members: tuple[Member, ...]

    def member(self, key: str) -> Member | None:
        """The member ``key``; with duplicate keys the last one (the one JSON parsers read)."""
        return next((m for m in reversed(self.members) if m.key == key), None)


def _skip(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def scan_object(text: str, pos: int) -> ObjectSpan:
    """The members of the JSON object that starts at ``pos`` (after whitespace), with their spans."""
    pos = _skip(text, pos)
    if text[pos : pos + 1] != "{":
        raise ValueError(f"expected a JSON object at offset {pos}")
    start = pos
    pos = _skip(text, pos + 1)
    members: list[Member] = []
    if text[pos : pos + 1] == "}":
        return ObjectSpan(start, pos + 1, ())
    while True:
        key_start = pos
        key, pos = _DECODER.raw_decode(text, pos)
        if not isinstance(key, str):
            raise ValueError(f"expected a key at offset {key_start}")
        pos = _skip(text, pos)
        if text[pos : pos + 1] != ":":
            raise ValueError(f"expected ':' at offset {pos}")
        value_start = _skip(text, pos + 1)
        _, value_end = _DECODER.raw_decode(text, value_start)
        members.append(Member(key, key_start, value_start, value_end))
        pos = _skip(text, value_end)
        if text[pos : pos + 1] == ",":
            pos = _skip(text, pos + 1)
            continue
        if text[pos : pos + 1] == "}":
            return ObjectSpan(start, pos + 1, tuple(members))
        raise ValueError(f"expected ',' or '}}' at offset {pos}")


def scan_array(text: str, pos: int) -> list[int]:
    """Start offsets of the items of the JSON array that starts at ``pos`` (after whitespace)."""
    pos = _skip(text, pos)
    if text[pos : pos + 1] != "[":
        raise ValueError(f"expected a JSON array at offset {pos}")
    pos = _skip(text, pos + 1)
    starts: list[int] = []
    if text[pos : pos + 1] == "]":
        return starts
    while True:
        starts.append(pos)
        _, end = _DECODER.raw_decode(text, pos)
        pos = _skip(text, end)
        if text[pos : pos + 1] == ",":
            pos = _skip(text, pos + 1)
            continue
        if text[pos : pos + 1] == "]":
            return starts
        raise ValueError(f"expected ',' or ']' at offset {pos}")


def _line_indent(text: str, pos: int) -> str:
    line_start = text.rfind("\n", 0, pos) + 1
    return text[line_start:pos] if text[line_start:pos].strip() == "" else ""


def _unit(text: str) -> str | None:
    """The document's indent unit ("" for compact JSON, None when it is all on one line)."""
    match = re.search(r"\{\r?\n([ \t]+)\"", text)
    return match.group(1) if match else None


def _newline(text: str) -> str:
    """The document's line break: CRLF when its first line ends so, else LF."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


_NON_ASCII_ESCAPE = re.compile(r"\\u(?!00[0-7])[0-9a-fA-F]{4}")


def _ensure_ascii(text: str) -> bool:
    """Whether the document escapes non-ASCII text (``json.dumps`` default) instead of writing it."""
    return text.isascii() and _NON_ASCII_ESCAPE.search(text) is not None


def _separators(text: str) -> tuple[str, str]:
    """Item and key separators of a one-line document: ``", "``/``": "`` or compact ``","``/``":"``."""
    item = "," if re.search(r"[\]}\"el0-9],\"", text) else ", "  # a value's end, then `,"` with no space
    key = ":" if re.search(r"\":[^ ]", text) else ": "
    return item, key


def dumps_like(value: Any, text: str, indent_here: str) -> str:
    """Serialize ``value`` in the document's style (indent unit, line break, sorted keys, escapes),
    continuing lines at ``indent_here``."""
    unit = _unit(text)
    ascii_only = _ensure_ascii(text)
    if unit is None:
        return json.dumps(value, sort_keys=True, ensure_ascii=ascii_only, separators=_separators(text))
    dumped = json.dumps(value, sort_keys=True, ensure_ascii=ascii_only, indent=unit)
    return dumped.replace("\n", _newline(text) + indent_here)


def set_member(text: str, obj: ObjectSpan, key: str, value: Any) -> str:
    """Set ``key`` of the object at ``obj`` to ``value``: replace its value in place, or insert it
    (at its sorted place when the keys are sorted, else last). With duplicate keys, the last one is
    replaced: it is the one JSON parsers read."""
    for member in reversed(obj.members):
        if member.key == key:
            indent = _line_indent(text, member.key_start)
            return text[: member.value_start] + dumps_like(value, text, indent) + text[member.value_end :]
    unit = _unit(text)
    newline = _newline(text)
    item_sep, key_sep = _separators(text) if unit is None else (",", ": ")
    key_text = json.dumps(key, ensure_ascii=_ensure_ascii(text)) + key_sep
    if not obj.members:
        if unit is None:
            new = "{" + key_text + dumps_like(value, text, "") + "}"
        else:
            outer = _indent_of_line(text, obj.start)
            inner = outer + unit
            new = "{" + newline + inner + key_text + dumps_like(value, text, inner) + newline + outer + "}"
        return text[: obj.start] + new + text[obj.end :]
    keys = [m.key for m in obj.members]
    is_sorted = keys == sorted(keys)
    after = None
    if is_sorted:
        before_members = [m for m in obj.members if m.key < key]
        after = before_members[-1] if before_members else None
        if after is None:  # goes first: insert before the first member
            first = obj.members[0]
            indent = _line_indent(text, first.key_start)
            separator = text[obj.start + 1 : first.key_start] if unit is not None else item_sep[1:]
            new = key_text + dumps_like(value, text, indent) + "," + separator
            return text[: first.key_start] + new + text[first.key_start :]
    else:
        after = obj.members[-1]
    indent = _line_indent(text, after.key_start)
    separator = newline + indent if indent or unit is not None else item_sep[1:]
    new = "," + separator + key_text + dumps_like(value, text, indent)
    return text[: after.value_end] + new + text[after.value_end :]


def _indent_of_line(text: str, pos: int) -> str:
    line_start = text.rfind("\n", 0, pos) + 1
    match = re.match(r"[ \t]*", text[line_start:])
    return match.group(0) if match else ""


def delete_member(text: str, obj: ObjectSpan, key: str) -> str:
    """Remove ``key`` (and the comma and line break that went with it) from the object; with
    duplicate keys, the last one."""
    members = list(obj.members)
    for index in reversed(range(len(members))):
        member = members[index]
        if member.key != key:
            continue
        if len(members) == 1:
            return text[: obj.start] + "{}" + text[obj.end :]
        if index + 1 < len(members):  # cut from this key to the next key
            return text[: member.key_start] + text[members[index + 1].key_start :]
        previous = members[index - 1]  # last member: cut from the end of the previous value
        return text[: previous.value_end] + text[member.value_end :]
    return text
