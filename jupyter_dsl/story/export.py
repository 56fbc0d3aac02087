"""``jupyter dsl story ASK``: write the story of an Ask, one self-contained HTML file or Markdown with
its figures beside it, scrubbed of secrets as the findings export is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..findings.redact import Redactor
from ..project.settings import Project
from ..trackers import Tracker
from .collect import build_story, project_view
from .model import Story
from .render import FORMATS, render_story, story_stem


@dataclass
class WrittenStory:
    story: Story
    written: list[Path]  # the story first, then its figures (Markdown)
    redactor: Redactor

    def to_json(self) -> dict[str, Any]:
        """What was written and the story as data, scrubbed of secrets as the files are."""
        story = self.redactor.scrub_all(self.story.to_json())
        return {"written": [str(path) for path in self.written], "story": story}


def default_story_dir(project: Project) -> Path:
    """Beside the findings: ``docs/story`` for the default ``[findings] dir`` of ``docs/findings``."""
    return Path(project.resolve(project.settings.findings.dir)).parent / "story"


def project_redactor(project: Project) -> Redactor:
    return Redactor.from_environment(extra_names=project.settings.findings.scrub_env)


def export_story(
    project: Project,
    tracker: Tracker,
    ask: int,
    *,
    to: str = "html",
    out: Path | None = None,
    redactor: Redactor | None = None,
) -> WrittenStory:
    """Write ``ask-<N>-<slug>.<to>`` into ``out`` (default: see ``default_story_dir``). Everything is
    read and rendered before the first write."""
    if to not in FORMATS:
        raise InvalidInput(f"unknown story format {to!r}", hint="Use html or md.")
    directory = (out or default_story_dir(project)).resolve()
    with project_view(project, tracker) as view:
        story = build_story(view, ask)
    stem = story_stem(story)
    redactor = redactor or project_redactor(project)
    rendered = render_story(story, to, root=project.root, directory=directory, redactor=redactor, stem=stem)
    return WrittenStory(story, rendered.write(directory, f"{stem}.{to}"), redactor)
