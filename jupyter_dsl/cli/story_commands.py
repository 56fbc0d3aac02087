"""`jupyter dsl story ASK | site`: the story of an Ask as one file, and every Ask as a static site."""

from __future__ import annotations

from pathlib import Path

import click

from ..story.export import export_story
from ..story.site import build_site
from .base import ISSUE_NUMBER, cli, console, emit, json_option, open_project_tracker, resolve_path


@cli.command("story")
@click.argument("ask", type=ISSUE_NUMBER)
@click.option("--to", "to", type=click.Choice(["html", "md"]), default="html", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder to write into.")
@json_option
def story(ask: int, to: str, out: Path | None, as_json: bool) -> None:
    """Write the story of Ask ASK: its problem, its work by type (findings, experiments, versions)
    and its timeline, every number linked to its source.

    HTML is one self-contained file; Markdown writes its figures beside it. Default folder: docs/story
    (beside the project's [findings] dir).
    """
    project, tracker = open_project_tracker()
    written = export_story(project, tracker, ask, to=to, out=resolve_path(out) if out else None)
    work = written.story.work

    def human() -> None:
        said = f"{len(work)} linked issue(s), {len(written.story.figures)} figure(s)"
        console.print(f"wrote {written.written[0]}: Ask #{ask}, {said}", markup=False)
        for extra in written.written[1:]:
            console.print(f"  {extra}", markup=False, style="dim")

    emit(as_json, written.to_json(), human)


@cli.command("site")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder (default: site/)."
)
@click.option("--full", is_flag=True, help="Build every page again (still writes only what changed).")
@json_option
def site(out: Path | None, full: bool, as_json: bool) -> None:
    """Build the project's static site: an index of every Ask and one page per Ask (offline, relative
    links, publishable as it is). Only the pages that changed are written."""
    project, tracker = open_project_tracker()
    report = build_site(project, tracker, resolve_path(out) if out else project.root / "site", full=full)

    def human() -> None:
        pages = len(report.pages)
        if not report.written and not report.removed:
            console.print(f"{report.directory}: {pages} page(s), all up to date", markup=False)
            return
        console.print(f"{report.directory}: wrote {len(report.written)} of {pages} page(s)", markup=False)
        for name in report.written:
            console.print(f"  {name}", markup=False, style="dim")
        for name in report.removed:
            console.print(f"  removed {name}", markup=False, style="dim")

    emit(as_json, report.to_json(), human)
