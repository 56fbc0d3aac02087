"""Build the story of an Ask (a typed ``Story``) from the tracker, the committed findings summaries,
the run index and its batches. No rendering here (see ``render``), and no surface code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..batch.state import BatchStore
from ..dslp.branches import slugify
from ..dslp.checklists import checklist, section_text
from ..dslp.issue_types import IssueType
from ..dslp.references import references_in
from ..errors import InvalidInput, NotFound
from ..notebook.document import NotebookLink
from ..notebook.links import linked_notebooks
from ..project.settings import Project
from ..runs.records import RunRecord
from ..runs.store import RunQuery, RunStore, RunSummary
from ..trackers import Issue, IssueQuery, Tracker, web_links_of
from .experiments import build_experiment
from .findings_file import find_summary, last_commits, read_findings
from .model import Goal, IssueStory, Link, Story
from .timeline import build_timeline
from .versions import DATA_MODULE, MODEL_MODULE, version_source, versions_of

ORDER = [IssueType.DATA.value, IssueType.EXPLORE.value, IssueType.EXPERIMENT.value, IssueType.MODEL.value]
OTHER = "Other"  # work with another label (Deploy, Communicate) or none
CACHE = "story-cache"  # charts drawn once, under the project's .dsl/


@dataclass
class ProjectView:
    """What every story of a project reads once: its issues, linked notebooks, runs and batches."""

    project: Project
    tracker: Tracker
    issues: dict[int, Issue]
    notebooks: list[tuple[str, NotebookLink]]
    store: RunStore | None
    batches: dict[str, dict[str, object]] = field(default_factory=dict)
    _runs: dict[int, list[RunSummary]] = field(default_factory=dict)
    _refs: dict[int, tuple[int | None, set[int]]] = field(default_factory=dict)
    _commits: dict[str, str] | None = None
    _commits_read: bool = False

    def findings_commits(self) -> dict[str, str] | None:
        """``findings_file.last_commits`` of the project, read once."""
        if not self._commits_read:
            self._commits, self._commits_read = last_commits(self.project), True
        return self._commits

    def references(self, number: int) -> tuple[int | None, set[int]]:
        """(the Ask issue ``number`` names, every issue its reference lines name), read once."""
        if not self._refs:
            for n, issue in self.issues.items():
                self._refs[n] = (issue.ask, set(references_in(issue.body).values()))
        return self._refs[number]

    @property
    def cache(self) -> Path:
        return self.project.database_path.parent / CACHE

    def runs_of(self, number: int) -> list[RunSummary]:
        if self.store is None:
            return []
        if number not in self._runs:
            self._runs[number] = self.store.query(RunQuery(issue=number, limit=None))
        return self._runs[number]

    def record(self, run_id: str) -> RunRecord:
        if self.store is None:
            raise NotFound(f"no run {run_id!r}")
        return self.store.get(run_id)

    def asks(self) -> list[Issue]:
        return [i for n, i in sorted(self.issues.items()) if i.type is IssueType.ASK]


@contextmanager
def project_view(project: Project, tracker: Tracker) -> Iterator[ProjectView]:
    """Read the project once (closed at the end: the run index's connection)."""
    issues = {issue.number: issue for issue in tracker.list(IssueQuery(state="all"))}
    store = RunStore(project.database_path) if project.database_path.exists() else None
    try:
        view = ProjectView(project, tracker, issues, linked_notebooks(project.root), store)
        if store is not None:
            view.batches = {str(b["id"]): b for b in BatchStore(store).list(limit=1_000_000)}
        yield view
    finally:
        if store is not None:
            store.close()


def members(view: ProjectView, ask: Issue) -> list[Issue]:
    """The Ask's work: issues whose Ask Reference (or Prompted by) is the Ask, those the Ask lists, and
    those prompted by or based on one of them."""
    listed = set(_listed(ask.body))
    found = {n for n in view.issues if view.references(n)[0] == ask.number or n in listed}
    changed = True
    while changed:
        changed = False
        for number in view.issues:
            if number not in found and view.references(number)[1] & found:
                found.add(number)
                changed = True
    found.discard(ask.number)
    return [view.issues[n] for n in sorted(found) if view.issues[n].type is not IssueType.ASK]


def _listed(body: str) -> list[int]:
    numbers: list[int] = []
    for heading in ("Datasets", "Understanding and Exploration", "Approaches and Experiments"):
        for item in checklist(body, heading):
            head = item.text.split()[0] if item.text.split() else ""
            if head.startswith("#") and head[1:].isdigit():
                numbers.append(int(head[1:]))
    return numbers


def issue_link(view: ProjectView, issue: Issue) -> Link:
    return Link(f"#{issue.number}", "issue", url=issue.url or None, title=issue.title)


def _level(line: str) -> int:
    heading = re.match(r"^(#{1,6})\s", line)
    return len(heading.group(1)) if heading else 0


def without_empty_headings(text: str) -> str:
    """A section's Markdown without the sub-headings nobody wrote anything under (the template's)."""
    lines = text.splitlines()
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _level(line):
            following = next((later for later in lines[index + 1 :] if later.strip()), None)
            if following is None or 0 < _level(following) <= _level(line):
                continue
        kept.append(line)
    return "\n".join(kept).strip()


def _output_path(url: str | None) -> str | None:
    if not url:
        return None
    return url.removeprefix("file://") if url.startswith("file://") or url.startswith("/") else None


def run_links(view: ProjectView, record: RunRecord) -> list[Link]:
    """A run's sources: its output notebook, its notebook, its commit (a forge page where there is one)."""
    out = record.output_notebook
    local = _output_path(out)
    links = [Link(record.id, "output-notebook", path=local, url=None if local else out)]
    links.append(Link(record.notebook, "notebook", path=record.notebook))
    commit = record.git.commit if record.git is not None else None
    if commit:
        web = web_links_of(view.tracker)
        url = web.raw_url(record.notebook, commit) if web is not None else None
        links.append(Link(commit[:10], "commit", url=url, title=commit))
    return links


def _issue_story(view: ProjectView, issue: Issue, notebooks: list[str]) -> IssueStory:
    kind = issue.type.value if issue.type else OTHER
    runs = view.runs_of(issue.number)
    story = IssueStory(
        issue.number,
        kind,
        issue.title,
        issue.state,
        list(issue.labels),
        issue_link(view, issue),
        issue.created_at,
        issue.closed_at,
        [Link(path, "notebook", path=path) for path in notebooks],
        runs=len(runs),
    )
    if issue.type is IssueType.EXPLORE:
        branches = [f"explore/{issue.number}-{slugify(issue.title)}"]
        found = find_summary(view.project, issue.number, branches, view.findings_commits())
        story.findings = read_findings(view.project, found, issue.number) if found is not None else None
        story.goals = [Goal(item.text, item.done) for item in checklist(issue.body, "Goals")]
    elif issue.type is IssueType.EXPERIMENT:
        story.experiment = build_experiment(
            issue, runs, view.record, lambda record: run_links(view, record), view.cache
        )
    elif issue.type in (IssueType.DATA, IssueType.MODEL):
        module = DATA_MODULE if issue.type is IssueType.DATA else MODEL_MODULE
        story.versions = versions_of(view.project, issue.number, module)
    return story


def build_story(view: ProjectView, number: int) -> Story:
    """The story of Ask ``number``: its statement, its work by type in DSLP order, its timeline."""
    ask = view.issues.get(number)
    if ask is None:
        raise NotFound(f"no issue #{number}")
    if ask.type is not IssueType.ASK:
        kind = ask.type.value if ask.type else "an issue without a type label"
        raise InvalidInput(
            f"#{number} is {kind}, not an Ask",
            hint="A story is told of an Ask: jupyter dsl issue list --type Ask",
        )
    work = members(view, ask)
    by_issue: dict[int, list[tuple[str, NotebookLink]]] = {}
    for path, link in view.notebooks:
        by_issue.setdefault(link.issue.number, []).append((path, link))
    grouped: dict[str, list[IssueStory]] = {kind: [] for kind in ORDER}
    for issue in work:
        story = _issue_story(view, issue, [path for path, _ in by_issue.get(issue.number, [])])
        grouped.setdefault(story.type if story.type in ORDER else OTHER, []).append(story)
    timeline = build_timeline(view, [ask, *work], by_issue)
    return Story(
        ask.number,
        ask.title,
        ask.state,
        issue_link(view, ask),
        without_empty_headings(section_text(ask.body, "Problem Statement")),
        without_empty_headings(section_text(ask.body, "Success Criteria")),
        {kind: items for kind, items in grouped.items() if items},
        timeline,
        version_source(DATA_MODULE) is not None,
        max(issue.updated_at for issue in [ask, *work]),
    )
