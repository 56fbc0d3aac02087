"""Collect the findings of a notebook: finding cells, ``finding()`` outputs and the goals they answer.

- a markdown cell tagged ``finding`` is an insight: its first heading (or first line) is the title,
  the rest the description; an ``answers: N`` (or ``answers: goal text``) line says which goal;
- a code cell tagged ``finding`` gives its outputs to the markdown finding before it, or is an
  insight of its own (titled by its first ``# comment``) when no markdown finding precedes it;
- ``jupyter_dsl.finding(text, artifact=obj)`` and ``%%finding TITLE`` leave a display output with
  our MIME type (see ``marker``): the outputs after it in the same cell are its artifact;
- a markdown cell tagged ``tldr`` is the summary's TL;DR, one tagged ``next-steps`` its Next Steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..dslp.checklists import ChecklistItem

FINDING_MIME = "application/vnd.jupyter-dsl.finding+json"
FINDING_TAG = "finding"
TLDR_TAG = "tldr"
NEXT_STEPS_TAG = "next-steps"
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
# what an artifact shows, richest first; our own bundles (record, link, finding) are not artifacts
_SHOWN = (*IMAGE_MIMES, "text/html", "text/markdown", "text/latex", "text/plain")
_ANSWERS = re.compile(r"^[ \t]*answers?[ \t]*:[ \t]*(?P<goal>.+?)[ \t]*$", re.IGNORECASE | re.MULTILINE)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<text>.*?)[ \t#]*$")
_ATTACHMENT_REF = re.compile(r"!\[(?P<alt>[^\]]*)\]\(attachment:(?P<name>[^)\s]+)\)")


@dataclass
class Artifact:
    mime: str  # the MIME type shown: image/png, text/html, text/plain ...
    data: str  # base64 for binary images, text otherwise
    alt: str = ""
    cell: int = 0

    @property
    def kind(self) -> str:
        if self.mime in IMAGE_MIMES:
            return "image"
        return {"text/html": "html", "text/markdown": "markdown", "text/latex": "markdown"}.get(
            self.mime, "text"
        )


@dataclass
class Insight:
    title: str
    description: str = ""  # Markdown
    artifacts: list[Artifact] = field(default_factory=list)
    cell: int = 0  # index of the cell it comes from (from 0)
    answers: str | None = None  # a goal number or a goal's text, as written
    from_markdown: bool = False


@dataclass
class Goal:
    number: int
    text: str
    done: bool
    answered_by: list[int] = field(default_factory=list)  # insight numbers (from 1)


@dataclass
class Collected:
    insights: list[Insight]
    tldr: str = ""
    next_steps: str = ""
    heading: str = ""  # the notebook's first heading, a title for an unlinked notebook


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def _tags(cell: Any) -> list[str]:
    tags = (cell.get("metadata") or {}).get("tags") or []
    return [str(t) for t in tags] if isinstance(tags, list) else []


def split_title(text: str) -> tuple[str, str]:
    """(title, rest): the first heading, else the first non-blank line, is the title."""
    lines = text.strip().splitlines()
    for index, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading:
            return heading["text"].strip(), "\n".join(lines[:index] + lines[index + 1 :]).strip()
    if not lines:
        return "", ""
    return lines[0].strip(), "\n".join(lines[1:]).strip()


def _pop_answers(text: str) -> tuple[str, str | None]:
    match = _ANSWERS.search(text)
    if match is None:
        return text, None
    return (text[: match.start()] + text[match.end() :]).strip(), match["goal"].strip()


def output_artifacts(output: Any, cell: int) -> list[Artifact]:
    """The artifact(s) one output shows: its richest MIME part, or a stream's text."""
    kind = output.get("output_type")
    if kind == "stream":
        text = _text(output.get("text"))
        return [Artifact("text/plain", text, "", cell)] if text.strip() else []
    if kind not in ("display_data", "execute_result"):
        return []  # errors are not findings
    data = output.get("data") or {}
    if FINDING_MIME in data or any(m.startswith("application/vnd.jupyter-dsl.") for m in data):
        return []
    alt = _text(data.get("text/plain", "")).strip()
    for mime in _SHOWN:
        if mime in data:
            value = data[mime]
            binary = mime in IMAGE_MIMES and mime != "image/svg+xml"
            text = _text(value)
            return [Artifact(mime, text.replace("\n", "") if binary else text, alt, cell)]
    return []


def _attachments(cell: Any, index: int, description: str) -> tuple[str, list[Artifact]]:
    """Images attached to a markdown cell become artifacts; their ``attachment:`` links go away."""
    attached = cell.get("attachments") or {}
    found: list[Artifact] = []
    for match in _ATTACHMENT_REF.finditer(description):
        bundle = attached.get(match["name"]) or {}
        for mime in IMAGE_MIMES:
            if mime in bundle:
                data = _text(bundle[mime])
                found.append(Artifact(mime, data if mime == "image/svg+xml" else data.replace("\n", ""),
                                      match["alt"], index))  # fmt: skip
                break
    return _ATTACHMENT_REF.sub("", description).strip(), found


def _code_title(source: str, index: int) -> str:
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("%%finding"):
            continue
        if stripped.startswith("#") and stripped.lstrip("#").strip():
            return stripped.lstrip("#").strip()
        if stripped:
            break
    return f"Finding from cell {index + 1}"


def _from_markers(cell: Any, index: int) -> list[Insight]:
    """Insights left by ``finding()`` / ``%%finding`` in a cell's outputs."""
    found: list[Insight] = []
    outputs = list(cell.get("outputs") or [])
    position = 0
    while position < len(outputs):
        data = outputs[position].get("data") or {}
        payload = data.get(FINDING_MIME)
        position += 1
        if not isinstance(payload, dict):
            continue
        title, description = split_title(str(payload.get("text", "")))
        insight = Insight(title or f"Finding from cell {index + 1}", description, [], index)
        answers = payload.get("answers")
        insight.answers = None if answers in (None, "") else str(answers)
        span = payload.get("artifacts", 0)
        count = len(outputs) - position if span == "rest" else int(span) if isinstance(span, int) else 0
        for output in outputs[position : position + count]:
            if FINDING_MIME in (output.get("data") or {}):
                break  # the next finding starts here
            insight.artifacts += output_artifacts(output, index)
            position += 1
        found.append(insight)
    return found


def collect(node: Any) -> Collected:
    """Everything the summary needs from a notebook (an nbformat node or its plain JSON)."""
    insights: list[Insight] = []
    tldr: list[str] = []
    next_steps: list[str] = []
    heading = ""
    for index, cell in enumerate(node.get("cells", []) or []):
        kind = cell.get("cell_type")
        tags = _tags(cell)
        source = _text(cell.get("source"))
        if kind == "markdown":
            if not heading:
                first = next((line for line in source.splitlines() if _HEADING.match(line)), "")
                heading = _HEADING.match(first)["text"].strip() if first else ""  # type: ignore[index]
            if TLDR_TAG in tags:
                tldr.append(_strip_heading(source, ("tl;dr", "tldr")))
            if NEXT_STEPS_TAG in tags:
                next_steps.append(_strip_heading(source, ("next steps",)))
            if FINDING_TAG in tags:
                text, answers = _pop_answers(source)
                title, description = split_title(text)
                description, attached = _attachments(cell, index, description)
                if title or description or attached:
                    insight = Insight(title or f"Finding from cell {index + 1}", description, attached, index)
                    insight.answers, insight.from_markdown = answers, True
                    insights.append(insight)
        elif kind == "code":
            insights += _from_markers(cell, index)
            if FINDING_TAG in tags and not any(
                FINDING_MIME in (o.get("data") or {}) for o in cell.get("outputs") or []
            ):
                artifacts = [a for o in cell.get("outputs") or [] for a in output_artifacts(o, index)]
                if insights and insights[-1].from_markdown:
                    insights[-1].artifacts += artifacts
                else:
                    insights.append(Insight(_code_title(source, index), "", artifacts, index))
    joined = ("\n\n".join(part for part in parts if part) for parts in (tldr, next_steps))
    return Collected(insights, next(joined), next(joined), heading)


def _strip_heading(source: str, names: tuple[str, ...]) -> str:
    """A tagged cell's text without a leading heading that only names the section (``## TL;DR``)."""
    lines = source.strip().splitlines()
    if lines:
        match = _HEADING.match(lines[0])
        if match and match["text"].strip().rstrip(":").lower() in names:
            lines = lines[1:]
    return "\n".join(lines).strip()


def match_goals(insights: list[Insight], items: list[ChecklistItem]) -> list[Goal]:
    """The goals of the issue, each with the insights that answer it (by number or by its text)."""
    goals = [Goal(item.number, item.text, item.done) for item in items]
    for number, insight in enumerate(insights, start=1):
        if not insight.answers:
            continue
        wanted = insight.answers.strip().lstrip("#")
        for goal in goals:
            by_number = wanted.isdigit() and int(wanted) == goal.number
            if by_number or goal.text.strip().lower() == wanted.lower():
                goal.answered_by.append(number)
    return goals
