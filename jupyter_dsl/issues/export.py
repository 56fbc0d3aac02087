"""`tracker export --to github|gitlab`: move the local tracker's issues to a forge, once.

Everything is read and checked before the first write: the target's ``[tracker]`` settings and token,
the forge (reachable, its issues and labels), every local issue and comment, the linked notebooks and
the new ``dsl.toml``. Then, in order: the missing labels, each issue (created with a marker line naming
the local issue, its comments with their author and time, closed with its reason), the bodies'
checklist and reference lines renumbered, the notebooks' links, and last ``[tracker] kind``.

Interrupted anywhere, running it again finishes without duplicates: the mapping of numbers is written
to ``.dsl/export-<forge>.json`` after each created issue, and issues and comments already on the forge
are recognised by their marker, so a lost mapping duplicates nothing either. The local issues are
never changed: they stay where they were, as a backup.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dslp.renumber import renumber_body
from ..errors import ConfigError, DslError, InvalidInput, TrackerError
from ..hints import as_hint
from ..notebook import document
from ..notebook.document import IssueRef, NotebookLink
from ..notebook.links import linked_notebooks
from ..project import config_edit
from ..project.atomic_write import write_text_atomic
from ..project.settings import Project
from ..runs.inside_run import refuse_inside_run
from ..trackers import CloseReason, Comment, Issue, IssueQuery, Label, Tracker, open_tracker, web_links_of
from .labels_sync import plan_labels

FORGES = ("github", "gitlab")
EXPORT_ACTION = "move the tracker's issues"
RESUME_HINT = "Run the export again once that is fixed: it resumes where it stopped, without duplicates."
_ISSUE_MARK = re.compile(r"<!-- jupyter-dsl export: local #(?P<number>\d+) created (?P<created>\S+)")
_COMMENT_MARK = re.compile(r"<!-- jupyter-dsl export: comment (?P<id>\d+) created (?P<created>\S+)")


# -- the target ------------------------------------------------------------------------------------


def target_name(project: Project, to: str) -> str:
    settings = project.settings.tracker
    return settings.repo if to == "github" else (settings.project or settings.repo)


def open_target(project: Project, to: str, *, dry_run: bool = False) -> Tracker:
    """The forge tracker ``[tracker]`` describes for ``to`` (its kind still "local"); refuses a project
    that is not on the local tracker, missing settings and a missing token, before any request (and
    inside a recorded run, unless this is a dry run)."""
    if not dry_run:
        refuse_inside_run(EXPORT_ACTION)
    if to not in FORGES:
        raise InvalidInput(f"cannot export to {to!r}", hint=f"Export to one of: {', '.join(FORGES)}.")
    current = project.settings.tracker.kind
    if current != "local":
        raise InvalidInput(
            f"this project's tracker is already \"{current}\": export moves the local tracker's issues",
            hint='Only a project with [tracker] kind = "local" is exported.',
        )
    if project.config_path is None:
        raise ConfigError("this project has no dsl.toml to name the forge in")
    if not target_name(project, to):
        key, example = ("repo", "owner/name") if to == "github" else ("project", "group/name")
        raise ConfigError(
            f"{project.config_path}: [tracker] has no {key} to export to",
            hint=f'Add {key} = "{example}" (and api_url for a self-hosted forge) under [tracker]; '
            'kind stays "local" until every issue went over.',
        )
    settings = dataclasses.replace(project.settings.tracker, kind=to)
    target = open_tracker(
        dataclasses.replace(project, settings=dataclasses.replace(project.settings, tracker=settings))
    )
    from ..trackers.forge_base import ForgeTracker  # httpx loads only when exporting

    if isinstance(target, ForgeTracker) and not target.http.has_token:
        target.close_connection()
        raise ConfigError(
            f"no {target.http.name} token: nothing was exported", hint=target.http.token_hint or None
        )
    return target


# -- what goes on the forge ------------------------------------------------------------------------


def _said(text: str) -> str:
    """Text safe inside an HTML comment on one line."""
    return " ".join(text.replace("--", "-").replace(">", "").split()) or "-"


def issue_marker(issue: Issue) -> str:
    return (
        f"<!-- jupyter-dsl export: local #{issue.number} created {_said(issue.created_at)} "
        f"by {_said(issue.author)} -->"
    )


def forge_body(issue: Issue, numbers: dict[int, int]) -> str:
    """The issue's body on the forge: its marker line, then the body with DSLP's lines renumbered."""
    return f"{issue_marker(issue)}\n{renumber_body(issue.body, numbers)}"


def forge_comment(comment: Comment) -> str:
    """A comment as the forge gets it: marker, who wrote it when (the forge names the token's user), text."""
    marker = f"<!-- jupyter-dsl export: comment {comment.id} created {_said(comment.created_at)} -->"
    who = f"**{comment.author or 'someone'}** wrote on {comment.created_at or 'an unknown date'}"
    return f"{marker}\n{who} (moved from the local tracker):\n\n{comment.body}"


def _issue_key(body: str) -> tuple[int, str] | None:
    found = _ISSUE_MARK.search(body or "")
    return (int(found["number"]), found["created"]) if found else None


def _comment_keys(comments: Sequence[Comment]) -> set[tuple[int, str]]:
    found = (_COMMENT_MARK.search(c.body or "") for c in comments)
    return {(int(m["id"]), m["created"]) for m in found if m}


# -- the plan --------------------------------------------------------------------------------------


@dataclass
class IssueMove:
    """One local issue and where it is (or goes) on the forge."""

    local: Issue
    comments: list[Comment]
    number: int | None  # on the forge; None until created
    found: bool  # already on the forge (an earlier, interrupted export)
    forge_issue: Issue | None = None
    posted: int = 0  # comments posted by this run
    closed: bool = False  # closed by this run
    renumbered: bool = False  # its body rewritten with the new numbers by this run

    def to_json(self) -> dict[str, Any]:
        return {
            "local": self.local.number,
            "number": self.number,
            "title": self.local.title,
            "already_exported": self.found,
            "state": self.local.state,
            "state_reason": self.local.state_reason,
            "comments": len(self.comments),
            "comments_posted": self.posted,
            "closed": self.closed,
            "renumbered": self.renumbered,
            "url": self.forge_issue.url if self.forge_issue else "",
        }


@dataclass
class ExportResult:
    to: str
    target: str
    dry_run: bool
    labels: list[Label]  # created (or, in a dry run, to create)
    issues: list[IssueMove]
    notebooks: list[str]  # relinked (or to relink), relative to the root
    config: str
    switched: bool = False
    mapping_file: str = ""
    new_config: str = field(default="", repr=False)

    @property
    def numbers(self) -> dict[int, int]:
        return {m.local.number: m.number for m in self.issues if m.number is not None}

    def report(self) -> list[str]:
        """The export's report, one line each: what went (or would go) where."""
        would = "would " if self.dry_run else ""
        lines: list[str] = []
        if self.labels:
            lines.append(f"{would}create label(s): {', '.join(label.name for label in self.labels)}")
        for move in self.issues:
            where = f"#{move.number}" if move.number is not None else "a new issue"
            verb = "would go to" if self.dry_run else "went to"
            verb = "already on the forge as" if move.found else verb
            extra = [f"{len(move.comments)} comment(s)"] if move.comments else []
            if move.local.state == "closed":
                extra.append(f"closed: {move.local.state_reason or 'completed'}")
            tail = f" ({', '.join(extra)})" if extra else ""
            lines.append(f"#{move.local.number} {verb} {where}: {move.local.title}{tail}")
        lines += [f"{'would relink' if self.dry_run else 'relinked'} {path}" for path in self.notebooks]
        if self.switched:
            lines.append(f'{self.config}: [tracker] kind = "{self.to}"')
        elif self.dry_run:
            lines.append(
                f'would set [tracker] kind = "{self.to}" in {self.config} when every issue went over'
            )
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "target": self.target,
            "dry_run": self.dry_run,
            "labels_created": [label.name for label in self.labels],
            "issues": [move.to_json() for move in self.issues],
            "numbers": {str(old): new for old, new in self.numbers.items()},
            "notebooks": self.notebooks,
            "config": self.config,
            "switched": self.switched,
            "mapping_file": self.mapping_file,
        }


def _target_key(project: Project, to: str) -> str:
    """Which forge a mapping file's numbers are on: kind, API address and repository."""
    return f"{to} {project.settings.tracker.api_url or 'public'} {target_name(project, to)}"


def mapping_path(project: Project, to: str) -> Path:
    return project.state_dir / f"export-{to}.json"


def _read_mapping(path: Path, target: str) -> dict[int, int]:
    """The numbers an earlier run wrote for this target; {} when there is none (or for another target)."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("target") != target:
            return {}
        return {int(old): int(new) for old, new in data["numbers"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"{path} is not a readable export mapping ({exc})",
            hint="Delete it and run the export again: issues already on the forge are found by their marker.",
        ) from exc


def _write_mapping(path: Path, target: str, numbers: dict[int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"target": target, "numbers": {str(k): v for k, v in sorted(numbers.items())}}
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")


def _missing_labels(source: Tracker, target: Tracker, issues: Sequence[Issue]) -> list[Label]:
    """The DSLP labels, then the other labels the issues use, that the forge lacks (local colours)."""
    missing = [change.label for change in plan_labels(target) if change.action == "created"]
    have = {label.name.lower() for label in target.labels()} | {label.name.lower() for label in missing}
    defined = {label.name.lower(): label for label in source.labels()}
    for name in dict.fromkeys(name for issue in issues for name in issue.labels):
        if name.lower() not in have:
            have.add(name.lower())
            missing.append(defined.get(name.lower(), Label(name, "ededed", "")))
    return missing


def plan_export(project: Project, source: Tracker, target: Tracker, to: str) -> ExportResult:
    """Read and check everything the export needs; writes nothing (this is ``--dry-run``)."""
    name = target_name(project, to)
    forge_issues = target.list(IssueQuery(state="all"))
    if target.offline_as_of:
        raise TrackerError(
            f"cannot reach {to} ({name}): nothing was exported", hint="Try again when it answers."
        )
    local = sorted(source.list(IssueQuery(state="all")), key=lambda issue: issue.number)
    on_forge = {key: issue for issue in forge_issues if (key := _issue_key(issue.body)) is not None}
    by_number = {issue.number: issue for issue in forge_issues}
    earlier = _read_mapping(mapping_path(project, to), _target_key(project, to))
    moves: list[IssueMove] = []
    for issue in local:
        found = on_forge.get((issue.number, _said(issue.created_at)))
        if found is None and earlier.get(issue.number) in by_number:
            found = by_number[earlier[issue.number]]
        moves.append(
            IssueMove(
                issue,
                source.comments(issue.number),
                found.number if found else None,
                found is not None,
                found,
            )
        )
    local_numbers = {issue.number for issue in local}
    notebooks = [
        path
        for path, link in linked_notebooks(project.root)
        if link.issue.tracker == source.kind and link.issue.number in local_numbers
    ]
    for path in notebooks:  # every notebook can take its new link: checked before the first write
        placeholder = NotebookLink(IssueRef(to, 1, None, ""), branch="-")
        document.set_link(project.root / path, placeholder, write=False)
    assert project.config_path is not None  # open_target refused a project without one
    new_config = config_edit.set_tracker_kind_text(project.config_path, to)
    return ExportResult(
        to,
        name,
        True,
        _missing_labels(source, target, local),
        moves,
        notebooks,
        str(project.config_path),
        mapping_file=str(mapping_path(project, to)),
        new_config=new_config,
    )


# -- the export ------------------------------------------------------------------------------------


def export_tracker(
    project: Project, source: Tracker, target: Tracker, to: str, *, dry_run: bool = False
) -> ExportResult:
    """Move every local issue to ``target`` (see the module's docstring); ``dry_run`` only plans."""
    result = plan_export(project, source, target, to)
    if dry_run:
        return result
    refuse_inside_run(EXPORT_ACTION)
    result.dry_run = False
    try:
        _write(project, target, to, result)
    except DslError as exc:  # say where it stopped, and that running it again finishes the job
        went = sum(move.number is not None for move in result.issues)
        exc.message += (
            f" (the export stopped with {went} of {len(result.issues)} issue(s) on {to}; "
            "dsl.toml still names the local tracker)"
        )
        exc.args = (exc.message,)
        exc.advice = as_hint(" ".join(filter(None, [exc.hint, RESUME_HINT])))
        raise
    return result


def _write(project: Project, target: Tracker, to: str, result: ExportResult) -> None:
    for label in result.labels:
        target.save_label(label, exists=False)
    mapping, key = mapping_path(project, to), _target_key(project, to)
    numbers = result.numbers
    for move in result.issues:
        _move_issue(target, move, numbers, lambda: _write_mapping(mapping, key, numbers))
    _write_mapping(mapping, key, numbers)
    for move in result.issues:
        _renumber(target, move, numbers)
    for path in result.notebooks:
        _relink(project.root / path, target, to, numbers)
    config_edit.write_config(Path(result.config), result.new_config)
    result.switched = True


def _move_issue(target: Tracker, move: IssueMove, numbers: dict[int, int], save: Any) -> None:
    """Create the issue (unless it is there), post its missing comments, close it as the local one is."""
    issue = move.local
    if move.number is None:
        move.forge_issue = target.create(issue.title, forge_body(issue, {}), issue.labels)
        move.number = numbers[issue.number] = move.forge_issue.number
        save()  # before anything else: an interruption from here on resumes with this number
        posted: set[tuple[int, str]] = set()
    else:
        posted = _comment_keys(target.comments(move.number)) if move.comments else set()
    for comment in move.comments:
        if (comment.id, _said(comment.created_at)) not in posted:
            target.comment(move.number, forge_comment(comment))
            move.posted += 1
    assert move.forge_issue is not None
    reason: CloseReason = "not_planned" if issue.state_reason == "not_planned" else "completed"
    forge = move.forge_issue
    if issue.state == "closed" and (forge.state != "closed" or forge.state_reason != reason):
        move.closed = forge.state != "closed"
        move.forge_issue = target.close(move.number, reason)  # again: GitLab adds a missing reason note


def _renumber(target: Tracker, move: IssueMove, numbers: dict[int, int]) -> None:
    """Rewrite the forge body's checklist and reference lines with the new numbers (when they differ)."""
    assert move.number is not None and move.forge_issue is not None
    wanted = forge_body(move.local, numbers)
    if move.forge_issue.body != wanted:
        move.forge_issue = target.edit(move.number, body=wanted)
        move.renumbered = True


def _relink(path: Path, target: Tracker, to: str, numbers: dict[int, int]) -> None:
    """Point a notebook's link at the issue's new number on the forge; branch and status stay."""
    link = document.get_link(path)
    if link is None or link.issue.tracker == to:
        return
    new = numbers[link.issue.number]
    links = web_links_of(target)
    issue = dataclasses.replace(link.issue, tracker=to, number=new, url=links.url_of(new) if links else "")
    ask = numbers.get(link.ask, link.ask) if link.ask is not None else None
    document.set_link(path, dataclasses.replace(link, issue=issue, ask=ask))
