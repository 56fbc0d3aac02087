"""Render a ``Story`` through Jinja templates: one self-contained HTML file (figures inline as data
URIs, the findings export's Content-Security-Policy: no request leaves the page) or Markdown with its
figures written beside it. Issue text is untrusted: HTML escapes it (Markdown through the findings
export's escaping renderer, remote images dropped); every string is scrubbed of secrets first and
the page once more after."""

from __future__ import annotations

import functools
import html
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from ..errors import InvalidInput
from ..findings.redact import Redactor
from ..findings.render import Rendered, cell_table, markdown_html
from .model import Figure, Link, Story

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("html", "md")
_REMOTE_IMAGE = re.compile(r"<img\b[^>]*?\bsrc=\"(?!data:)[^\"]*\"[^>]*>", re.IGNORECASE)
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)


def story_stem(story: Story) -> str:
    from ..dslp.branches import slugify

    return f"ask-{story.number}-{slugify(story.title)}"[:80].rstrip("-")


@functools.lru_cache(maxsize=2)
def _environment(kind: str) -> Any:
    import jinja2  # lazy: only when a story is rendered

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=kind == "html",  # noqa: S701 (Markdown is not HTML; the HTML template escapes)
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["cell"] = cell_table
    environment.filters["line"] = lambda text: " ".join(str(text).split())
    return environment


class _Page:
    """How one page shows links, Markdown and figures: hrefs relative to the page's folder."""

    def __init__(self, kind: str, root: Path, directory: Path, redactor: Redactor, figures_dir: str) -> None:
        self.kind, self.root, self.directory = kind, root, directory
        self.redactor, self.figures_dir = redactor, figures_dir
        self.files: dict[str, bytes] = {}

    def text(self, value: str) -> str:
        return self.redactor.scrub(" ".join(str(value).split()))

    def href(self, link: Link) -> str | None:
        if link.url and _SAFE_URL.match(link.url):
            return link.url
        if link.path is None:
            return None
        target = Path(link.path) if os.path.isabs(link.path) else self.root / link.path
        relative = os.path.relpath(target, self.directory)
        return quote(PurePosixPath(Path(relative).as_posix()).as_posix(), safe="/._-~")

    def link(self, link: Link) -> dict[str, Any]:
        return {"text": self.text(link.text), "kind": link.kind, "href": self.href(link), "title": link.title}

    def links(self, links: list[Link]) -> list[dict[str, Any]]:
        return [self.link(link) for link in links]

    def markdown(self, text: str, *, inline: bool = False) -> Any:
        """Markdown as the page shows it (HTML: escaped, no remote image); ``inline``: one paragraph
        without its ``<p>``, to run on after a label."""
        scrubbed = self.redactor.scrub(text or "").strip()
        if self.kind != "html":
            return " ".join(scrubbed.split()) if inline else scrubbed
        from markupsafe import Markup  # lazy: only when a story is rendered

        shown = _REMOTE_IMAGE.sub(lambda m: html.escape("[image]"), markdown_html(scrubbed))
        single = re.fullmatch(r"<p>(.*)</p>", shown, re.DOTALL)
        if inline and single and "<p>" not in single.group(1):
            shown = single.group(1)
        return Markup(shown)  # noqa: S704 (escaped by the findings export's Markdown renderer)

    def figure(self, figure: Figure) -> dict[str, Any]:
        if self.kind == "html":
            src = figure.data_uri
        else:
            name = f"{self.figures_dir}/{figure.name}"
            self.files[name] = figure.data
            src = quote(name, safe="/._-~")
        return {"src": src, "alt": self.text(figure.alt), "sources": self.links(figure.sources)}


def _issue_view(page: _Page, issue: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "number": issue.number,
        "title": page.text(issue.title),
        "state": issue.state,
        "labels": [page.text(label) for label in issue.labels],
        "link": page.link(issue.link),
        "opened": issue.opened[:10],
        "closed": (issue.closed or "")[:10],
        "notebooks": page.links(issue.notebooks),
        "runs": issue.runs,
        "goals": [{"text": page.text(g.text), "done": g.done} for g in issue.goals],
        "findings": None,
        "experiment": None,
        "versions": None,
    }
    if issue.findings is not None:
        found = issue.findings
        view["findings"] = {
            "tldr": page.markdown(found.tldr, inline=True),
            "goals": [{"text": page.text(g.text), "done": g.done} for g in found.goals],
            "sources": page.links(found.sources),
            "insights": [
                {
                    "number": insight.number,
                    "title": page.text(insight.title),
                    "description": page.markdown(insight.description),
                    "figures": [page.figure(f) for f in insight.figures],
                }
                for insight in found.insights
            ],
        }
    if issue.experiment is not None:
        ex = issue.experiment
        view["experiment"] = {
            "outcome": ex.outcome,
            "tldr": page.markdown(ex.tldr, inline=True),
            "metric": page.text(ex.metric) if ex.metric else None,
            "direction": "highest" if ex.higher_is_better else "lowest",
            "varying": [page.text(v) for v in ex.varying],
            "total": ex.total,
            "failed": ex.failed,
            "chart": page.figure(ex.chart) if ex.chart is not None else None,
            "chart_x": page.text(ex.chart_x) if ex.chart_x else None,
            "best": [
                {
                    "id": run.id,
                    "status": run.status,
                    "started": run.started,
                    "parameters": {page.text(k): page.text(v) for k, v in run.parameters.items()},
                    "metrics": {page.text(k): page.text(v) for k, v in run.metrics.items()},
                    "links": page.links(run.links),
                }
                for run in ex.best
            ],
        }
    if issue.versions is not None:
        view["versions"] = [
            {
                "name": page.text(v.name),
                "version": page.text(v.version),
                "created_at": v.created_at[:19],
                "run": v.run,
                "links": page.links(v.links),
            }
            for v in issue.versions
        ]
    return view


def story_view(page: _Page, story: Story) -> dict[str, Any]:
    return {
        "number": story.number,
        "title": page.text(story.title),
        "state": story.state,
        "link": page.link(story.link),
        "problem": page.markdown(story.problem),
        "success": page.markdown(story.success),
        "sections": [
            {"type": kind, "issues": [_issue_view(page, issue) for issue in issues]}
            for kind, issues in story.issues.items()
        ],
        "timeline": [
            {
                "when": e.when[:19].replace("T", " "),
                "kind": e.kind,
                "text": page.text(e.text),
                "links": page.links(e.links),
            }
            for e in story.timeline
        ],
        "data_feature": story.data_feature,
        "last_activity": story.last_activity[:19].replace("T", " "),
    }


def render_story(
    story: Story,
    to: str,
    *,
    root: Path,
    directory: Path,
    redactor: Redactor,
    stem: str | None = None,
    index_href: str | None = None,
) -> Rendered:
    """``story`` as ``html`` or ``md``, its links relative to ``directory`` (where it is written);
    Markdown figures are files under ``<stem>_files/`` (in ``files``)."""
    if to not in FORMATS:
        raise InvalidInput(f"unknown story format {to!r}", hint="Use html or md.")
    page = _Page(to, root, directory, redactor, f"{stem or story_stem(story)}_files")
    view = story_view(page, story)
    text = _environment(to).get_template(f"story.{to}.j2").render(story=view, index_href=index_href)
    return Rendered(redactor.scrub(text), page.files)


def render_index(entries: list[dict[str, Any]], title: str, redactor: Redactor) -> str:
    """The site's index page: each Ask, its state, its open and closed work, its last activity."""
    shown = [{**e, "title": redactor.scrub(" ".join(str(e["title"]).split()))} for e in entries]
    text = _environment("html").get_template("index.html.j2").render(asks=shown, title=redactor.scrub(title))
    return redactor.scrub(text)
