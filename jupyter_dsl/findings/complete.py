"""Complete an issue the DSLP way, from its linked notebook.

Explore: the findings summary is written under ``[findings] dir`` and committed (that file only),
posted as a comment on the issue, the issue's pull request is closed unmerged (forges), a
``- [x] #N title: TL;DR`` line goes into the Ask's Understanding and Exploration, the issue is closed.
Experiment: the TL;DR goes into ``## Results``, ``succeeded`` or ``failed`` is set, the Ask gets its
line, a Model issue is opened on success (unless ``promote`` is off), the issue is closed.
Both: the notebook's ``metadata.jupyter_dsl.status`` becomes ``complete``.

Everything is checked and rendered before the first step runs; every step checks whether it is done.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import hints
from ..dslp import checklists
from ..dslp.issue_types import IssueType
from ..dslp.references import references_in
from ..dslp.templates import BASED_ON_EXPERIMENT
from ..errors import InvalidInput, NotFound
from ..issues.create import new_issue
from ..notebook import document
from ..notebook.document import NotebookLink
from ..project import gitrepo
from ..project.settings import Project
from ..runs.inside_run import refuse_inside_run
from ..trackers import Issue, IssueQuery, Tracker, pull_requests_of, web_links_of
from .redact import Redactor
from .render import render
from .steps import (
    COMMENT_MARKER,
    CloseIssue,
    ClosePullRequest,
    CommitSummary,
    EditBody,
    MarkNotebook,
    PostComment,
    PushBranch,
    SetLabel,
    Step,
    WriteSummary,
    issue_line_editor,
)
from .summary import Summary, build_summary

EXPLORATION = "Understanding and Exploration"
EXPERIMENTS = "Approaches and Experiments"
OUTCOMES = ("succeeded", "failed")


@dataclass
class StepResult:
    description: str
    state: str  # done | already done | would do | failed | not run
    detail: str = ""

    @property
    def mark(self) -> str:
        """How a list of results marks its state: ✓ done, · already done, → would do."""
        return MARKS.get(self.state, " ")

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


MARKS = {"done": "✓", "already done": "·", "would do": "→"}


@dataclass
class Completion:
    """What a completion did (or, in a dry run, would do): one shape for every surface."""

    issue: Issue
    dry_run: bool
    steps: list[StepResult]
    notes: list[str]
    summary_path: Path | None  # the summary file the plan writes (None: no summary step)

    @property
    def pending(self) -> list[StepResult]:
        return [step for step in self.steps if step.state == "would do"]

    def to_json(self) -> dict[str, Any]:
        return {
            "issue": self.issue.number,
            "dry_run": self.dry_run,
            "steps": [step.to_json() for step in self.steps],
            "notes": self.notes,
            "summary_path": str(self.summary_path) if self.summary_path is not None else None,
        }


@dataclass
class CompletionPlan:
    issue: Issue
    summary: Summary
    steps: list[Step]
    notes: list[str] = field(default_factory=list)  # what is not done, and why

    @property
    def summary_path(self) -> Path | None:
        """The summary file this plan writes, if it writes one."""
        return next((step.paths[0] for step in self.steps if isinstance(step, WriteSummary)), None)

    def complete(self, *, dry_run: bool = False) -> Completion:
        """Run (or describe) the steps and say what came of them (see ``run``)."""
        results = self.run(dry_run=dry_run)
        return Completion(self.issue, dry_run, results, self.notes, self.summary_path)

    def run(self, *, dry_run: bool = False) -> list[StepResult]:
        """Run (or with ``dry_run`` only describe) the steps; a failing step raises after the
        results so far are kept in ``self.results``."""
        self.results: list[StepResult] = []
        for step in self.steps:
            description = step.describe()
            if step.is_done():
                self.results.append(StepResult(description, "already done"))
            elif dry_run:
                self.results.append(StepResult(description, "would do", step.detail()))
            else:
                step.apply()
                self.results.append(StepResult(description, "done"))
        return self.results


def _kind(kind: IssueType | None) -> str:
    if kind is None:
        return "an untyped issue"
    return f"{'an' if kind.value[0] in 'AEIOU' else 'a'} {kind.value} issue"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ModelIssue(Step):
    """Open the Model issue of a succeeded Experiment (once: found again by its Based on Experiment)."""

    def __init__(self, tracker: Tracker, experiment: Issue, ask: int | None, redactor: Redactor) -> None:
        self.tracker, self.experiment, self.ask = tracker, experiment, ask
        self.title = redactor.scrub(f"Implement {experiment.title} model")

    def existing(self) -> Issue | None:
        for issue in self.tracker.list(IssueQuery(type=IssueType.MODEL, state="all")):
            if references_in(issue.body).get(BASED_ON_EXPERIMENT) == self.experiment.number:
                return issue
        return None

    def describe(self) -> str:
        found = self.existing()
        if found is not None:
            return f"open a Model issue based on #{self.experiment.number}: #{found.number} {found.title}"
        ask = f", Ask Reference #{self.ask}" if self.ask else ""
        return f"open a Model issue {self.title!r} (Based on Experiment #{self.experiment.number}{ask})"

    def is_done(self) -> bool:
        return self.existing() is not None

    def apply(self) -> None:
        new_issue(self.tracker, IssueType.MODEL, self.title, ask=self.ask, experiment=self.experiment.number)

    def number(self) -> int:
        found = self.existing()
        return found.number if found is not None else 0


def completed_link(link: NotebookLink, now: str | None = None) -> NotebookLink:
    if link.status == "complete" and link.completed_at:
        return link
    stamp = now or datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    return dataclasses.replace(link, status="complete", completed_at=stamp)


def _check_commit(project: Project, target: Path, notes: list[str]) -> bool:
    """Whether the summary can be committed; says why not in ``notes``."""
    root = project.root
    if not gitrepo.is_repo(root):
        notes.append("the project is not a git repository: the summary is written, not committed")
        return False
    relative = target.relative_to(root).as_posix()
    if gitrepo.git(root, "check-ignore", "-q", "--", relative, check=False).returncode == 0:
        notes.append(f"{relative} is git-ignored: the summary is written, not committed")
        return False
    if gitrepo.git(root, "var", "GIT_COMMITTER_IDENT", check=False).returncode != 0:
        raise InvalidInput(
            "git has no identity to commit the summary with",
            hint='Set it: git config user.name "..." && git config user.email "..."',
        )
    return True


def _findings_dir(project: Project) -> Path:
    folder = Path(project.resolve(project.settings.findings.dir))
    try:
        folder.resolve().relative_to(project.root.resolve())
    except ValueError:
        raise InvalidInput(f"[findings] dir {folder} is outside the project {project.root}") from None
    return folder


@dataclass
class _Figures:
    """Where the findings comment links its figures from, and the push that puts them there."""

    prefix: str | None
    note: str | None = None  # said instead of each figure when they cannot be linked
    push: PushBranch | None = None


def _figures(
    project: Project, tracker: Tracker, write: WriteSummary, last: Step, notes: list[str]
) -> _Figures:
    """On a tracker without web links (local), figures are linked relative to the project. On a forge
    they are linked where the forge serves the committed files, on the branch pushed to ``[branches]
    remote``; when they cannot get there, the comment names each figure and says where it is instead."""
    prefix = write.directory.relative_to(project.root).as_posix() + "/"
    web = web_links_of(tracker)
    if not write.rendered.files or web is None:
        return _Figures(prefix)
    branch = gitrepo.current_branch(project.root)
    remote = project.settings.branches.remote
    if not isinstance(last, CommitSummary):
        why = "the summary is not committed"
    elif branch is None:
        why = "git is on a detached HEAD"
    elif gitrepo.git(project.root, "remote", "get-url", "--", remote, check=False).returncode != 0:
        why = f"the git remote {remote!r} does not exist"
    else:
        return _Figures(web.raw_url(prefix, branch), push=PushBranch(last, remote, branch))
    notes.append(f"the comment names its figures without showing them: {why}, so the forge cannot serve them")
    return _Figures(None, note=f"in {write.paths[0].relative_to(project.root).as_posix()}, not on the forge")


def _explore_steps(
    project: Project, tracker: Tracker, issue: Issue, summary: Summary, redactor: Redactor, notes: list[str]
) -> list[Step]:
    folder = _findings_dir(project)
    template = project.template_dir
    rendered = render(summary, "md", redactor=redactor, template_dir=template)
    write = WriteSummary(folder, f"{summary.stem}.md", rendered, project.root)
    steps: list[Step] = [write]
    if _check_commit(project, write.paths[0], notes):
        steps.append(CommitSummary(project.root, write, f"Findings of #{issue.number}: {issue.title}"))
    marker = COMMENT_MARKER.format(notebook=summary.provenance.notebook)
    figures = _figures(project, tracker, write, steps[-1], notes)  # the last step: the commit, if any
    if figures.push is not None:
        steps.append(figures.push)
    comment = render(
        summary,
        "md",
        redactor=redactor,
        template_dir=template,
        image_prefix=figures.prefix,
        figure_note=figures.note,
    )
    steps.append(PostComment(tracker, issue.number, marker, f"{marker}\n{comment.text}"))
    forge = pull_requests_of(tracker)  # a tracker without pull requests has none to close
    pull = forge.pull_request(issue.number) if forge is not None else None
    if forge is not None and pull is not None and pull.state == "open":
        steps.append(ClosePullRequest(forge, issue.number, pull.number))
    elif pull is None:
        notes.append(f"#{issue.number} has no pull request to close")
    line = redactor.scrub(f"- [x] #{issue.number} {_one_line(issue.title)}: {_one_line(summary.tldr)}")
    steps += _ask_line(tracker, issue, EXPLORATION, lambda: line, lambda: issue.number, notes)
    return steps


def _ask_line(
    tracker: Tracker,
    issue: Issue,
    heading: str,
    line: Callable[[], str],
    number: Callable[[], int],
    notes: list[str],
    what: str = "",
) -> list[Step]:
    if issue.ask is None:
        notes.append(f"#{issue.number} names no Ask: no Ask to update")
        return []
    ask = tracker.get(issue.ask)  # must exist before anything is written
    if ask.type is not IssueType.ASK:
        notes.append(f"#{ask.number} is not an Ask: its body is left alone")
        return []
    label = what or f"set the line of #{issue.number} in Ask #{ask.number}'s {heading}"
    return [EditBody(tracker, ask.number, label, line, issue_line_editor(heading, number))]


def _experiment_steps(
    tracker: Tracker, issue: Issue, summary: Summary, outcome: str, promote: bool, redactor: Redactor,
    notes: list[str],
) -> list[Step]:  # fmt: skip
    tldr = redactor.scrub(f"**TL;DR:** {_one_line(summary.tldr)} ({outcome})")
    steps: list[Step] = [
        EditBody(
            tracker,
            issue.number,
            f"set the TL;DR in #{issue.number}'s Results",
            lambda: tldr,
            lambda body, line: checklists.set_prefixed_line(body, "Results", "**TL;DR:**", line),
        ),
        SetLabel(tracker, issue.number, outcome, "failed" if outcome == "succeeded" else "succeeded"),
    ]
    said = f"{_one_line(issue.title)}: {_one_line(summary.tldr)} ({outcome})"
    line = redactor.scrub(f"- [x] #{issue.number} {said}")
    steps += _ask_line(tracker, issue, EXPERIMENTS, lambda: line, lambda: issue.number, notes)
    if outcome == "succeeded" and promote:
        model = ModelIssue(tracker, issue, issue.ask, redactor)
        steps.append(model)
        if issue.ask is not None:
            steps += _ask_line(
                tracker, issue, EXPERIMENTS,
                lambda: f"- [ ] #{model.number() or '<new Model>'} {model.title}", model.number, notes,
                f"add the Model issue to Ask #{issue.ask}'s {EXPERIMENTS}",
            )  # fmt: skip
    elif outcome == "succeeded":
        notes.append("not promoted: no Model issue is opened")
    return steps


def plan_completion(
    project: Project,
    tracker: Tracker,
    notebook: Path,
    *,
    outcome: str | None = None,
    promote: bool = True,
    redactor: Redactor | None = None,
    apply_link: Callable[[Path, NotebookLink], None] | None = None,
    shown: str | None = None,
) -> CompletionPlan:
    """Validate and render everything; the returned plan's ``run()`` does (or describes) the steps."""
    refuse_inside_run("complete issues")  # before the plan: the CLI would ask "Do this?" first
    link = document.get_link(notebook)
    if link is None:
        raise NotFound(
            f"{notebook.name} is not linked to an issue",
            hint=hints.link_first(notebook, "its Explore or Experiment issue"),
        )
    issue = tracker.get(link.issue.number)
    kind = issue.type
    if kind not in (IssueType.EXPLORE, IssueType.EXPERIMENT):
        raise InvalidInput(f"#{issue.number} is {_kind(kind)}: complete ends Explore and Experiment issues")
    if kind is IssueType.EXPLORE and outcome is not None:
        raise InvalidInput("an outcome applies to Experiments; an exploration is simply complete")
    if kind is IssueType.EXPERIMENT and outcome not in OUTCOMES:
        raise InvalidInput(
            f"completing Experiment #{issue.number} needs its outcome",
            hint=hints.hint(
                "Say whether it succeeded or failed.", hints.COMPLETE, notebook=notebook, outcome=None
            ),
        )
    redactor = redactor or Redactor.from_environment(extra_names=project.settings.findings.scrub_env)
    summary = build_summary(notebook, project=project, tracker=tracker)
    notes: list[str] = []
    if kind is IssueType.EXPLORE:
        steps = _explore_steps(project, tracker, issue, summary, redactor, notes)
    else:
        assert outcome is not None
        steps = _experiment_steps(tracker, issue, summary, outcome, promote, redactor, notes)
    steps.append(CloseIssue(tracker, issue.number))
    mark = MarkNotebook(notebook, completed_link(link), shown or project.relative(notebook))
    if apply_link is not None:
        mark.apply_link = apply_link
    steps.append(mark)
    return CompletionPlan(issue, summary, steps, notes)
