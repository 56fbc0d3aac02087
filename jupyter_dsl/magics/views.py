"""How `%dsl` results show in a notebook: Markdown for the front end, plain text for terminals.

Issue text is user content: it goes out as Markdown, which Jupyter front ends sanitize, and
titles are escaped so they cannot inject markup into our own lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..notebook.links import LinkStatus
from ..trackers import Issue

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _type_of(issue: Issue) -> str:
    return issue.type.value if issue.type else "-"


def offline_line(offline_as_of: str | None) -> list[str]:
    return [f"offline, as of {offline_as_of}"] if offline_as_of else []


@dataclass
class IssueList:
    items: list[Issue]
    heading: str | None = None
    bodies: bool = False
    offline_as_of: str | None = None  # the tracker answered from its cache

    def _lines(self) -> list[tuple[Issue, str]]:
        return [
            (i, f"#{i.number} {_type_of(i)} {i.title} ({i.state})" + (f" ask #{i.ask}" if i.ask else ""))
            for i in self.items
        ]

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        lines = offline_line(self.offline_as_of) + ([self.heading] if self.heading else [])
        if not self.items:
            lines.append("no issues match")
        for issue, line in self._lines():
            lines.append(line)
            if self.bodies and issue.body:
                lines += ["", issue.body, ""]
        printer.text("\n".join(lines))

    def _repr_markdown_(self) -> str:
        out = [f"_{md_escape(line)}_" for line in offline_line(self.offline_as_of)] + (
            [""] if self.offline_as_of else []
        )
        if not self.items:
            return "\n".join([*out, "_no issues match_"])
        out += [f"**{md_escape(self.heading)}**", ""] if self.heading else []
        out += ["| # | type | state | title | ask |", "|---|---|---|---|---|"]
        for issue in self.items:
            ask = f"#{issue.ask}" if issue.ask else ""
            out.append(
                f"| {issue.number} | {_type_of(issue)} | {issue.state} | {md_escape(issue.title)} | {ask} |"
            )
        if self.bodies:
            for issue in self.items:
                out += ["", "---", "", issue.body or "_no description_"]
        return "\n".join(out)


@dataclass
class StatusView:
    state: LinkStatus
    offline_as_of: str | None = None

    def _lines(self) -> list[str]:
        return offline_line(self.offline_as_of) + self._status_lines()

    def _status_lines(self) -> list[str]:
        s = self.state
        if s.link is None:
            return [
                f"{s.path} is not linked to an issue.",
                'Link it: %dsl link N   or create one: %dsl new TYPE "title" --link',
            ]
        ref = s.issue or s.link.issue
        kind = (s.issue.type.value if s.issue and s.issue.type else s.link.issue.type) or "-"
        lines = [f"{s.path} → #{ref.number} {kind}: {ref.title} ({s.issue.state if s.issue else 'unknown'})"]
        if s.ask:
            lines.append(f"ask: #{s.ask.number} {s.ask.title} ({s.ask.state})")
        elif s.ask_missing:
            lines.append(f"ask: #{s.ask_number} (missing from the tracker)")
        mark = "✓" if s.on_branch else "✗ (%dsl branch switches)"
        lines.append(f"branch: {s.expected_branch} {mark}; on {s.current_branch or 'no branch'}")
        lines.append(f"status: {s.link.status}")
        if s.issue_error:
            lines.append(f"tracker: {s.issue_error} (showing the cached link)")
        return lines

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text("\n".join(self._lines()))

    def _repr_markdown_(self) -> str:
        return "  \n".join(md_escape(line) for line in self._lines())


def _table_md(headers: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(md_escape(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(md_escape(c).replace("\n", " ") for c in row) + " |" for row in rows]
    return "\n".join(out)


def _table_text(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


@dataclass
class TableView:
    title: str
    headers: list[str]
    rows: list[list[str]]
    empty: str = "nothing to show"
    footer: str = ""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        body = _table_text(self.headers, self.rows) if self.rows else self.empty
        printer.text("\n".join(p for p in (self.title, body, self.footer) if p))

    def _repr_markdown_(self) -> str:
        body = _table_md(self.headers, self.rows) if self.rows else f"_{md_escape(self.empty)}_"
        parts = [f"**{md_escape(self.title)}**", body, md_escape(self.footer) if self.footer else ""]
        return "\n\n".join(p for p in parts if p)
