"""Reference lines in issue bodies (``***Ask Reference:*** #N``), as templates write them and as people
edit them by hand, and the Ask an issue refers to."""

from __future__ import annotations

import re

from .templates import ASK_REFERENCE, BASED_ON_EXPERIMENT, EXPERIMENT_HISTORY, PROMPTED_BY, RELATED_PR

_KNOWN_MARKERS = {
    m.strip("*:").lower(): m
    for m in (ASK_REFERENCE, BASED_ON_EXPERIMENT, PROMPTED_BY, RELATED_PR, EXPERIMENT_HISTORY)
}
# A reference line as templates write it, or as people edit it by hand: in a list item or a quote,
# any emphasis, the colon inside or outside it, any case; the issue as ``#N`` or as its web address.
_REFERENCE = re.compile(
    r"^[ \t]*(?:(?:[-*+][ \t]+)|(?:>[ \t]*))*"
    r"(?P<open>[*_]{0,3})(?P<marker>[A-Za-z]+(?: [A-Za-z]+){0,4})(?P<inner>:?)(?P<close>[*_]{0,3})"
    r"[ \t]*(?:(?P<outer>:)[ \t]*)?(?:#(?P<number>\d+)|https?://\S*?/issues/(?P<url_number>\d+))(?![\w/])",
    re.MULTILINE,
)
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


def _outside_code_blocks(body: str) -> str:
    """The body with fenced code blocks blanked: a reference shown as an example is not one."""
    kept: list[str] = []
    fence: str | None = None
    for line in body.splitlines():
        match = _FENCE.match(line)
        if match and (fence is None or match.group(1) == fence):
            fence = match.group(1) if fence is None else None
            kept.append("")
        else:
            kept.append("" if fence else line)
    return "\n".join(kept)


def references_in(body: str) -> dict[str, int]:
    """The ``***Marker:*** #N`` references of a body, keyed by the marker as written in templates.

    The first reference of each marker wins. Known markers are also found when edited by hand
    (``**Ask Reference:** #3``, ``- ***ask reference***: <issue URL>``); other markers only in
    the template's own ``***Marker:*** #N`` form.
    """
    found: dict[str, int] = {}
    for m in _REFERENCE.finditer(_outside_code_blocks(body or "")):
        if bool(m["inner"]) == bool(m["outer"]):  # exactly one colon
            continue
        name = " ".join(m["marker"].split())
        known = _KNOWN_MARKERS.get(name.lower())
        if known is None:
            if not (m["open"] == m["close"] == "***" and m["inner"]):
                continue
            known = f"***{name}:***"
        found.setdefault(known, int(m["number"] or m["url_number"]))
    return found


def ask_of(body: str) -> int | None:
    """The Ask an issue body refers to: its Ask Reference, else what prompted it (Explore)."""
    refs = references_in(body)
    ask = refs.get(ASK_REFERENCE)
    return ask if ask is not None else refs.get(PROMPTED_BY)
