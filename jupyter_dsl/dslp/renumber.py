"""Issue numbers change (an export to a forge, two clones that made the same number): rewrite the
places of a body where DSLP names issues, its reference lines (``***Ask Reference:*** #3``) and its
checklist lines (``- [ ] #4 title``), from old numbers to new ones, and change nothing else.

Every number is mapped at once (``#3 -> #4`` and ``#4 -> #5`` in one body never chain); a number the
mapping does not hold, prose that mentions ``#3``, and fenced code stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .references import references_in

_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_CHECK_NUMBER = re.compile(r"^(?P<lead>[ \t]*[-*+][ \t]+\[[ xX]\][ \t]+#)(?P<number>\d+)(?!\d)")
_FIRST_NUMBER = re.compile(r"#(?P<number>\d+)(?!\d)")


def renumber_line(line: str, mapping: Mapping[int, int]) -> str:
    """``line`` with the issue it names renumbered, if it is a checklist or a reference line."""
    check = _CHECK_NUMBER.match(line)
    if check is not None:
        new = mapping.get(int(check["number"]))
        return line if new is None else f"{check['lead']}{new}{line[check.end() :]}"
    if not references_in(line):
        return line
    number = _FIRST_NUMBER.search(line)
    if number is None:
        return line  # a reference by web address: it names its own tracker
    new = mapping.get(int(number["number"]))
    return line if new is None else f"{line[: number.start()]}#{new}{line[number.end() :]}"


def renumber_body(body: str, mapping: Mapping[int, int]) -> str:
    """``body`` with its checklist and reference lines renumbered by ``mapping`` (old -> new); every
    other byte, line breaks included, as it was."""
    parts = re.split(r"(\r\n|\n)", body or "")
    fence: str | None = None
    for index in range(0, len(parts), 2):
        line = parts[index]
        match = _FENCE.match(line)
        if match and (fence is None or match.group(1) == fence):
            fence = match.group(1) if fence is None else None
        elif fence is None:
            parts[index] = renumber_line(line, mapping)
    return "".join(parts)
