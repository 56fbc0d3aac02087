"""Gather what a findings summary shows: the notebook's findings, its issue's Overview and Goals,
its recorded runs and where it all comes from (path, commit, branch, issue, run)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dslp.branches import slugify
from ..dslp.checklists import checklist, section_text
from ..dslp.issue_types import IssueType
from ..errors import InvalidInput, NotFound
from ..notebook import document
from ..notebook.document import NotebookLink
from ..project import gitrepo
from ..project.settings import Project
from ..runs.artifacts import open_artifacts
from ..runs.records import Unreproducible
from ..runs.store import RunQuery, RunStore, notebook_key
from ..runs.table import RunsTable, format_value
from ..trackers import Issue, Tracker
from .collect import Goal, Insight, collect, match_goals

MAX_RUNS = 20
GOALS = "Goals"


@dataclass
class RunRow:
    id: str
    status: str
    started: str
    parameters: dict[str, str]
    metrics: dict[str, str]


@dataclass
class RunsSection:
    parameters: list[str]  # the parameters that differ between the runs
    metrics: list[str]
    rows: list[RunRow]
    total: int


@dataclass
class Provenance:
    notebook: str
    commit: str | None = None
    branch: str | None = None
    issue: str | None = None
    run: str | None = None
    # the run's files its commit does not hold: [{"path", "why"}]
    unreproducible: list[dict[str, str]] = field(default_factory=list)
    # the datasets the run read: "customers@v1.0.0 (md5 3f2a...)", with "local files differed"
    data: list[str] = field(default_factory=list)


@dataclass
class Summary:
    title: str
    stem: str  # file name of the exported summary, without extension
    tldr: str
    overview: str
    goals: list[Goal]
    insights: list[Insight]
    next_steps: str
    runs: RunsSection | None
    provenance: Provenance
    issue: Issue | None = None
    link: NotebookLink | None = None
    explicit_tldr: bool = False  # written in a `tldr` cell (else made from the insights' titles)
    extra: dict[str, Any] = field(default_factory=dict)


def _run_notebook(project: Project, path: Path, run_id: str) -> tuple[Any, Any]:
    """(the output notebook of a recorded run of ``path``, its record)."""
    if not project.database_path.exists():
        raise NotFound(f"no run {run_id!r}: this project has no recorded runs")
    with RunStore(project.database_path) as store:
        record = store.get(run_id)
    key = notebook_key(project, path)
    if record.notebook != key:
        raise InvalidInput(f"run {record.id} is a run of {record.notebook}, not of {key}")
    url = record.output_notebook
    if not url:
        raise NotFound(f"run {record.id} has no output notebook")
    try:
        data = open_artifacts(project).read_bytes(url)
    except (OSError, FileNotFoundError) as exc:
        raise NotFound(f"the output notebook of run {record.id} is gone: {url}") from exc
    node = document.parse(data.decode("utf-8", errors="replace"), f"output notebook of run {record.id}")
    return node, record


def _data_line(name: str, read: dict[str, Any]) -> str:
    said = f"{name}@v{read['version']}" if read.get("version") else name
    modified = ", local files differed" if read.get("modified") else ""
    return f"{said} (md5 {read.get('md5')}{modified})"


def _runs(project: Project, path: Path) -> RunsSection | None:
    if not project.database_path.exists():
        return None  # never create a database just to say there are no runs
    with RunStore(project.database_path) as store:
        query = RunQuery(notebook=notebook_key(project, path), limit=MAX_RUNS)
        summaries = store.query(query)
        total = store.count(query)
    if not summaries:
        return None
    table = RunsTable.of(summaries)
    rows = [
        RunRow(
            run.id,
            run.status,
            run.started_at[:19].replace("T", " "),
            {n: format_value(run.parameters[n]) for n in table.parameters if n in run.parameters},
            {n: format_value(run.metrics[n]) for n in table.metrics if n in run.metrics},
        )
        for run in summaries
    ]
    return RunsSection(table.parameters, table.metrics, rows, total)


def _summarized(text: str | None) -> Any:
    """A committed notebook as far as its summary goes: its JSON without jupyter-dsl's own link, which
    linking and completing change (so committing ``status: complete`` changes no summary)."""
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if isinstance(data, dict) and isinstance(data.get("metadata"), dict):
        data["metadata"].pop(document.METADATA_KEY, None)
    return data


def _last_commit(root: Path, relative: str) -> str | None:
    """The commit that last changed the notebook (``relative`` to ``root``) other than in its link:
    the same while only other files, or only the link, are committed (HEAD moves, this does not)."""
    history = gitrepo.file_history(root, relative)
    newest = _summarized(gitrepo.file_at(root, history[0], relative)) if history else None
    if newest is None:
        return None  # never committed, or deleted in HEAD
    found = history[0]
    for commit in history[1:]:
        if _summarized(gitrepo.file_at(root, commit, relative)) != newest:
            break
        found = commit
    return found


def _not_in_commit(root: Path, path: Path, relative: str, commit: str | None) -> list[Unreproducible]:
    """Why ``commit`` (the notebook's last, see ``_last_commit``) does not hold the notebook summarized:
    never committed (untracked, ignored) or changed since, other than in its link ("modified")."""
    if commit is None:
        reasons = list(gitrepo.not_committed(root, [path]).values())
    elif _summarized(path.read_text(encoding="utf-8")) != _summarized(
        gitrepo.file_at(root, commit, relative)
    ):
        reasons = ["modified"]
    else:
        reasons = []
    return [Unreproducible(relative, reason) for reason in reasons]


def _overview_heading(issue: Issue | None) -> str:
    return "Description" if issue is not None and issue.type is not IssueType.EXPLORE else "Overview"


def build_summary(
    path: Path,
    *,
    project: Project | None = None,
    tracker: Tracker | Callable[[], Tracker] | None = None,
    run_id: str | None = None,
) -> Summary:
    """Read the notebook (or a run's output notebook), its issue and runs into a ``Summary``.

    ``tracker`` may be a function that opens one: it is called only for a linked notebook."""
    saved = document.read(path)  # any nbformat version, as version 4
    link = document.link_from_metadata(saved.metadata, str(path))
    record = None
    node = saved
    if run_id is not None:
        if project is None:
            raise NotFound(f"{path} is not in a DSLP project: it has no recorded runs")
        node, record = _run_notebook(project, path, run_id)
    found = collect(node)
    if callable(tracker) and not isinstance(tracker, Tracker):
        tracker = tracker() if link is not None else None
    issue = tracker.get(link.issue.number) if link is not None and tracker is not None else None
    body = issue.body if issue is not None else ""
    goals = match_goals(found.insights, checklist(body, GOALS))
    title = issue.title if issue else (link.issue.title if link else "") or found.heading or path.stem
    tldr = (
        found.tldr
        or "; ".join(i.title.rstrip(".") for i in found.insights[:5])
        or ("No findings were recorded in this notebook.")
    )
    provenance = Provenance(notebook=path.name)
    files: list[Unreproducible] = []
    if project is not None:
        provenance.notebook = project.relative(path)
        if gitrepo.is_repo(project.root):
            provenance.commit = _last_commit(project.root, provenance.notebook)
            provenance.branch = gitrepo.current_branch(project.root)
            files = _not_in_commit(project.root, path, provenance.notebook, provenance.commit)
        else:
            files = [Unreproducible(provenance.notebook, "no-git")]
    if record is not None:
        provenance.run = record.id
        if record.git is not None:
            provenance.commit, provenance.branch = record.git.commit, record.git.branch
        files = record.unreproducible or []
        provenance.data = [_data_line(name, read) for name, read in record.inputs.items()]
    provenance.unreproducible = [{"path": f.path, "why": f.why} for f in files]
    if link is not None:
        kind = issue.type.value if issue and issue.type else link.issue.type
        provenance.issue = f"#{link.issue.number} {title}" + (f" ({kind})" if kind else "")
    stem = f"{link.issue.number}-{slugify(title)}" if link is not None else path.stem
    return Summary(
        title=title,
        stem=stem,
        tldr=tldr,
        overview=section_text(body, _overview_heading(issue)),
        goals=goals,
        insights=found.insights,
        next_steps=found.next_steps or section_text(body, "Next Steps"),
        runs=_runs(project, path) if project is not None else None,
        provenance=provenance,
        issue=issue,
        link=link,
        explicit_tldr=bool(found.tldr),
    )
