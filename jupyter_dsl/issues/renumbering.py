"""After a sync renumbered an issue (two clones had made the same #N), what named it by number follows:
the Ask's checklist line of the issue is rewritten to the new number. (Notebook links carry the
issue's stable id beside the number, see ``notebook.links``; ``issue show`` of the old number says
where it went.)"""

from __future__ import annotations

import re

from ..dslp import checklists
from ..errors import NotFound
from ..trackers import Tracker
from .ask_links import ask_and_section


def rewrite_ask_lines(tracker: Tracker, moves: list[tuple[int, int, str]]) -> list[str]:
    """For each (old, new, title): the Ask line ``- [ ] #old title`` of that issue becomes ``#new``;
    a line of the issue that kept #old (another title) is left alone. Returns the new lines."""
    written = []
    for old, new, title in moves:
        try:
            issue = tracker.get(new)
        except NotFound:
            continue
        target = ask_and_section(tracker, issue)
        if target is None:
            continue
        ask, section = target
        line = checklists.issue_line(ask.body, section, old)
        if line is None or " ".join(title.split()) not in " ".join(line.split()):
            continue
        rewritten = re.sub(rf"#{old}(?!\d)", f"#{new}", line, count=1)
        tracker.edit(ask.number, body=ask.body.replace(line, rewritten, 1))
        written.append(rewritten)
    return written
