"""Render a ``Summary`` through Jinja templates: Markdown (images written beside it) or one
self-contained HTML file (images inline, a Content-Security-Policy that forbids any request).

Templates are ``summary.md.j2`` and ``summary.html.j2`` in ``findings/templates/``; a project
overrides either by putting a file of the same name in the folder ``[findings] template`` names.
Every string is scrubbed of secrets before it reaches a template, and the result once more after.
"""

from __future__ import annotations

import base64
import functools
import html
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InvalidInput
from ..project.atomic_write import write_text_atomic
from .collect import Artifact
from .redact import Redactor
from .summary import Summary

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("md", "html")
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg"}
_TABLE_TAGS = {
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "div", "span", "p", "br", "b", "i", "em", "strong", "code", "pre", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "sub", "sup", "hr",
}  # fmt: skip
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TABLE_ATTRIBUTES = {"*": ["class", "colspan", "rowspan", "align", "border"]}


@dataclass
class Rendered:
    text: str
    files: dict[str, bytes] = field(default_factory=dict)  # path relative to the summary -> bytes

    def write(self, directory: Path, name: str) -> list[Path]:
        """Write the summary and its files (atomically each); returns every path written."""
        written: list[Path] = []
        for relative, data in sorted(self.files.items()):
            target = directory / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_bytes_atomic(target, data)
            written.append(target)
        directory.mkdir(parents=True, exist_ok=True)
        write_text_atomic(directory / name, self.text)
        return [directory / name, *written]


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@functools.lru_cache(maxsize=8)
def _environment(kind: str, override: str | None) -> Any:
    import jinja2  # lazy: only when a summary is rendered

    folders = ([override] if override else []) + [str(TEMPLATES)]
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=kind == "html",  # noqa: S701 (Markdown is not HTML; the HTML template escapes)
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["cell"] = cell_table
    return environment


def _template(kind: str, override: Path | None) -> Any:
    import jinja2  # lazy: only when a summary is rendered

    if override is not None and not override.is_dir():
        raise ConfigError(
            f"[findings] template: {override} is not a folder",
            hint="Point it at a folder holding summary.md.j2 and/or summary.html.j2.",
        )
    try:
        return _environment(kind, str(override) if override else None).get_template(f"summary.{kind}.j2")
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"{exc.filename}:{exc.lineno}: template error: {exc.message}") from exc


@functools.lru_cache(maxsize=1)
def _markdown_to_html() -> Any:
    import mistune  # lazy: only when a summary is rendered as HTML

    # raw HTML in the Markdown is escaped, never passed through; mistune refuses javascript: links
    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough", "task_lists"])


def markdown_html(text: str) -> str:
    """Markdown as HTML with any raw HTML in it escaped (never passed through) and no javascript: links."""
    return str(_markdown_to_html()(text)).strip()


def clean_html(text: str) -> str:
    """An output's HTML (a DataFrame's table) reduced to harmless table markup: no scripts,
    styles, links or images, so nothing in it can run or fetch."""
    import bleach  # lazy: only when a summary is rendered as HTML

    text = _SCRIPT_OR_STYLE.sub("", text)  # bleach would keep their text as text
    return str(bleach.clean(text, tags=_TABLE_TAGS, attributes=_TABLE_ATTRIBUTES, strip=True)).strip()


def _alt(text: str, fallback: str) -> str:
    alt = " ".join((text or fallback).split())
    alt = alt if not re.fullmatch(r"<Figure size [^>]*>", alt) else fallback
    return alt.replace("[", "(").replace("]", ")")[:160]


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text.rstrip()}\n{fence}"


@dataclass
class _Context:
    kind: str  # md | html
    redactor: Redactor
    image_prefix: str  # md: where image files are referenced from
    figure_note: str | None = None  # md: say this instead of showing a figure (it cannot be linked)
    files: dict[str, bytes] = field(default_factory=dict)

    def artifact(self, artifact: Artifact, name: str, title: str) -> str:
        scrub = self.redactor.scrub
        alt = scrub(_alt(artifact.alt, title))
        if artifact.kind == "image":
            svg = artifact.mime == "image/svg+xml"
            raw = scrub(artifact.data).encode() if svg else base64.b64decode(artifact.data)
            if self.kind == "html":
                encoded = base64.b64encode(raw).decode("ascii")
                return f'<img alt="{html.escape(alt)}" src="data:{artifact.mime};base64,{encoded}">'
            file = f"{name}.{_EXTENSIONS[artifact.mime]}"
            self.files[file] = raw
            if self.figure_note is not None:
                return f"*Figure: {alt} ({self.figure_note})*"
            return f"![{alt}]({self.image_prefix}{file})"
        text = scrub(artifact.data)
        if artifact.kind == "html":
            return clean_html(text)
        if artifact.kind == "markdown":
            return self.markdown(text)
        if self.kind == "html":
            return f"<pre>{html.escape(text.rstrip())}</pre>"
        return _fence(text)

    def markdown(self, text: str) -> str:
        text = self.redactor.scrub(text)
        return str(_markdown_to_html()(text)).strip() if self.kind == "html" else text.strip()


def _inline(shown: str) -> str:
    """One paragraph of HTML without its ``<p>``, so it runs on after a label (``TL;DR:``)."""
    match = re.fullmatch(r"<p>(.*)</p>", shown, re.DOTALL)
    return match.group(1) if match and "<p>" not in match.group(1) else shown


def _view(summary: Summary, ctx: _Context, image_dir: str) -> dict[str, Any]:
    from markupsafe import Markup  # lazy: only when a summary is rendered

    def rich(text: str) -> Any:
        shown = ctx.markdown(text)
        return Markup(shown) if ctx.kind == "html" else shown  # noqa: S704 (escaped by mistune)

    scrub = ctx.redactor.scrub_all
    insights = []
    for number, insight in enumerate(summary.insights, start=1):
        artifacts = [
            ctx.artifact(a, f"{image_dir}insight-{number}-{k}", insight.title)
            for k, a in enumerate(insight.artifacts, start=1)
        ]
        insights.append(
            {
                "number": number,
                "title": ctx.redactor.scrub(" ".join(insight.title.split())),
                "description": rich(insight.description),
                "artifacts": [Markup(a) if ctx.kind == "html" else a for a in artifacts],  # noqa: S704
                "cell": insight.cell + 1,
            }
        )
    runs = None
    if summary.runs is not None:
        runs = scrub(
            {
                "parameters": summary.runs.parameters,
                "metrics": summary.runs.metrics,
                "total": summary.runs.total,
                "rows": [row.__dict__ for row in summary.runs.rows],
            }
        )
    return {
        "title": ctx.redactor.scrub(summary.title),
        "tldr": rich(summary.tldr) if ctx.kind == "md" else Markup(_inline(ctx.markdown(summary.tldr))),  # noqa: S704
        "overview": rich(summary.overview),
        "goals": [scrub(goal.__dict__) for goal in summary.goals],
        "insights": insights,
        "next_steps": rich(summary.next_steps),
        "runs": runs,
        "provenance": scrub(summary.provenance.__dict__),
        "issue_type": (summary.issue.type.value if summary.issue and summary.issue.type else None),
    }


def render(
    summary: Summary,
    to: str,
    *,
    redactor: Redactor,
    template_dir: Path | None = None,
    image_prefix: str | None = None,
    figure_note: str | None = None,
) -> Rendered:
    """Render ``summary`` as ``md`` or ``html``. Markdown images are files named
    ``<stem>_files/...`` (returned in ``files``) and referenced with ``image_prefix`` before them;
    with ``figure_note``, Markdown names each figure and says that note instead of linking it."""
    if to not in FORMATS:
        raise InvalidInput(f"unknown summary format {to!r}", hint="Use md or html.")
    image_dir = f"{summary.stem}_files/"
    ctx = _Context(to, redactor, "" if image_prefix is None else image_prefix, figure_note)
    text = _template(to, template_dir).render(**_view(summary, ctx, image_dir))
    return Rendered(redactor.scrub(text), ctx.files)


def cell_table(value: str) -> str:
    """A value inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")
