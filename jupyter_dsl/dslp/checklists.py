"""Edit the checklist lines of one named section of an issue body, and change nothing else.

An Ask keeps running lists of its issues (``- [ ] #N title`` lines under Understanding and
Exploration, Approaches and Experiments, Datasets); an Explore keeps its Goals as a ``- [ ]``
checklist. These functions find a section by its heading (any level, any case, outside fenced code)
and add, replace or tick one line in it; every other byte of the body, its line breaks included,
stays as the user wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InvalidInput

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_CHECK = re.compile(r"^(?P<lead>[ \t]*[-*+][ \t]+)\[(?P<mark>[ xX])\](?P<rest>.*)$")
_COMMENT_LINE = re.compile(r"^[ \t]*<!--.*-->[ \t]*$")


@dataclass(frozen=True)
class Span:
    heading_line: int  # index of the heading line
    end: int  # one past the section's last line (the next heading of the same or a higher level)
    level: int


@dataclass(frozen=True)
class ChecklistItem:
    number: int  # from 1, in the order of the section
    done: bool
    text: str
    line: int  # index in the body's lines


class _Lines(list[str]):
    """A body's lines without their breaks; each line keeps its own break when joined again."""

    def __init__(self, body: str) -> None:
        parts = re.split(r"(\r\n|\n)", body)
        super().__init__(parts[0::2])
        self.breaks: list[str] = parts[1::2]  # one fewer than lines
        self.newline = "\r\n" if self.breaks and self.breaks[0] == "\r\n" else "\n"

    def insert_lines(self, at: int, new: list[str]) -> None:
        """Insert lines before line ``at`` (``len(self)`` appends) with the body's own break."""
        if at >= len(self):  # after the last line: it gets a break, the new last line none
            self.breaks += [self.newline] * len(new)
        else:
            self.breaks[at:at] = [self.newline] * len(new)
        self[at:at] = new

    def text(self) -> str:
        return "".join(line + brk for line, brk in zip(self, [*self.breaks, ""], strict=True))


def _lines(body: str) -> _Lines:
    return _Lines(body)


def _headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line index, level, text) of every heading outside fenced code."""
    found: list[tuple[int, int, str]] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if match and (fence is None or match.group(1) == fence):
            fence = match.group(1) if fence is None else None
            continue
        if fence is None:
            heading = _HEADING.match(line)
            if heading:
                found.append((index, len(heading.group(1)), heading.group(2).strip()))
    return found


def find_section(lines: list[str], heading: str) -> Span | None:
    wanted = heading.strip().lower()
    headings = _headings(lines)
    for position, (index, level, text) in enumerate(headings):
        if text.lower() != wanted:
            continue
        end = len(lines)
        for later_index, later_level, _ in headings[position + 1 :]:
            if later_level <= level:
                end = later_index
                break
        return Span(index, end, level)
    return None


def section_text(body: str, heading: str) -> str:
    """A section's text without its heading, guidance comments or reference lines; "" when missing."""
    lines = _lines(body or "")
    span = find_section(lines, heading)
    if span is None:
        return ""
    kept = [line for line in lines[span.heading_line + 1 : span.end] if not _COMMENT_LINE.match(line)]
    kept = [line for line in kept if not re.match(r"^[ \t]*\*\*\*[^*]+:\*\*\*", line)]
    return "\n".join(kept).strip()


def checklist(body: str, heading: str) -> list[ChecklistItem]:
    """The ``- [ ]`` / ``- [x]`` items of a section, numbered from 1."""
    lines = _lines(body or "")
    span = find_section(lines, heading)
    if span is None:
        return []
    items: list[ChecklistItem] = []
    for index in range(span.heading_line + 1, span.end):
        match = _CHECK.match(lines[index])
        if match:
            text = match["rest"].strip()
            items.append(ChecklistItem(len(items) + 1, match["mark"] != " ", text, index))
    return items


def _insert_at(lines: list[str], span: Span) -> int:
    """Where a new line goes: after the section's last checklist line, else after its last text."""
    last_check = None
    last_text = span.heading_line
    for index in range(span.heading_line + 1, span.end):
        if _CHECK.match(lines[index]):
            last_check = index
        if lines[index].strip():
            last_text = index
    return (last_check if last_check is not None else last_text) + 1


def _add_line(body: str, heading: str, line: str) -> str:
    lines = _lines(body)
    span = find_section(lines, heading)
    if span is None:  # the user removed the section: add it at the end, with the line
        new = ["", f"## {heading}", "", line]
        if len(lines) == 1 and not lines[0]:
            return "\n".join(new[1:]) + "\n"
        ends_with_break = len(lines) > 1 and not lines[-1]
        lines.insert_lines(len(lines) - 1 if ends_with_break else len(lines), new)
        return lines.text()
    at = _insert_at(lines, span)
    new = [line]
    if at == span.heading_line + 1 or not _CHECK.match(lines[at - 1]):
        new = ["", line]  # a blank line between the heading or text and a new list
    if at < len(lines) and lines[at].strip():
        new.append("")  # keep the next heading (or text) apart from the list
    lines.insert_lines(at, new)
    return lines.text()


def _issue_line_index(lines: list[str], span: Span, number: int) -> int | None:
    pattern = re.compile(rf"^\s*#{number}(?!\d)")
    for index in range(span.heading_line + 1, span.end):
        match = _CHECK.match(lines[index])
        if match and pattern.match(match["rest"]):
            return index
    return None


def issue_line(body: str, heading: str, number: int) -> str | None:
    """The checklist line of issue ``#number`` in a section, as written, or None."""
    lines = _lines(body or "")
    span = find_section(lines, heading)
    index = None if span is None else _issue_line_index(lines, span, number)
    return None if index is None else lines[index]


def set_issue_line(body: str, heading: str, number: int, line: str) -> str:
    """Make ``line`` the checklist line of issue ``#number`` in the section: replace the line that
    names ``#number`` (whatever its tick and text), else add it after the section's list."""
    if not _CHECK.match(line) or not re.match(rf"^\s*[-*+]\s+\[[ xX]\]\s+#{number}(?!\d)", line):
        raise InvalidInput(f"not a checklist line of #{number}: {line!r}")
    lines = _lines(body or "")
    span = find_section(lines, heading)
    index = None if span is None else _issue_line_index(lines, span, number)
    if index is None:
        return _add_line(body or "", heading, line)
    lead = _CHECK.match(lines[index])
    assert lead is not None
    lines[index] = lead["lead"] + line.lstrip()[2:].lstrip()  # keep the user's indent and bullet
    return lines.text()


def add_item(body: str, heading: str, text: str) -> str:
    """Add ``- [ ] text`` to a section's checklist (made when missing)."""
    clean = " ".join(text.split())
    if not clean:
        raise InvalidInput("a checklist item needs text")
    return _add_line(body or "", heading, f"- [ ] {clean}")


def set_done(body: str, heading: str, number: int, done: bool = True) -> str:
    """Tick (or untick) item ``number`` (from 1) of a section's checklist."""
    items = checklist(body, heading)
    if not 1 <= number <= len(items):
        raise InvalidInput(
            f"there is no item {number} under {heading!r} ({len(items)} item(s))", hint="Items count from 1."
        )
    lines = _lines(body)
    match = _CHECK.match(lines[items[number - 1].line])
    assert match is not None
    lines[items[number - 1].line] = f"{match['lead']}[{'x' if done else ' '}]{match['rest']}"
    return lines.text()


def set_prefixed_line(body: str, heading: str, prefix: str, line: str) -> str:
    """Make ``line`` (which starts with ``prefix``) the section's one line starting with ``prefix``."""
    lines = _lines(body or "")
    span = find_section(lines, heading)
    if span is not None:
        for index in range(span.heading_line + 1, span.end):
            if lines[index].startswith(prefix):
                lines[index] = line
                return lines.text()
        at = _insert_at(lines, span)
        new = ["", line] if lines[at - 1].strip() else [line]
        if at < len(lines) and lines[at].strip():
            new.append("")
        lines.insert_lines(at, new)
        return lines.text()
    return _add_line(body or "", heading, line)
