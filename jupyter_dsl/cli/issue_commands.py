"""`jupyter dsl issue ...` (create, list, show, comment on, edit, label, close, reopen), `labels sync` and
`pr`: DSLP issues on any tracker."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from ..dslp.issue_types import IssueType
from ..errors import InvalidInput, NotFound
from ..issues.create import close_issue, comment_issue, edit_issue, issue_with_ask, label_issue, reopen_issue
from ..issues.labels_sync import LabelChange, sync_labels
from ..issues.pulls import open_pull
from ..notebook import links
from ..trackers import Issue, IssueQuery
from .base import (
    ISSUE_NUMBER,
    cli,
    console,
    emit,
    json_option,
    open_project_tracker,
    resolve_path,
    show_offline,
)

TYPE_NAMES = [t.value for t in IssueType]


@cli.group()
def issue() -> None:
    """Issues of the five DSLP types on the project's tracker."""


def issue_line(item: Issue) -> str:
    kind = item.type.value if item.type else "-"
    state = "" if item.state == "open" else f" [dim]({item.state})[/]"
    return f"[bold]#{item.number}[/] [cyan]{kind}[/] {escape(item.title)}{state}"


def issue_table(items: list[Issue]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("#", "type", "state", "title", "ask", "labels"):
        table.add_column(column, overflow="fold")
    for item in items:
        extra = [label for label in item.labels if not item.type or label != item.type.value]
        table.add_row(
            str(item.number),
            item.type.value if item.type else "-",
            item.state,
            escape(item.title),
            f"#{item.ask}" if item.ask else "",
            escape(", ".join(extra)),
        )
    return table


def parse_sections(values: tuple[str, ...]) -> dict[str, str]:
    sections: dict[str, str] = {}
    for value in values:
        heading, sep, text = value.partition("=")
        if not sep or not heading.strip():
            raise InvalidInput(
                f"--section {value!r} is not HEADING=TEXT", hint='Example: --section "Goals=- [ ] churn"'
            )
        sections[heading.strip()] = text.replace("\\n", "\n")
    return sections


@issue.command("new")
@click.argument("issue_type", metavar="TYPE", type=click.Choice(TYPE_NAMES, case_sensitive=False))
@click.argument("title")
@click.option("--ask", type=ISSUE_NUMBER, help="The Ask this Explore/Experiment/Model answers to.")
@click.option("--experiment", type=ISSUE_NUMBER, help="The Experiment a Model is based on.")
@click.option("--variant", type=click.Choice(["acquisition", "create"]), help="Data template variant.")
@click.option("--section", "sections", multiple=True, metavar="HEADING=TEXT", help="Fill a template section.")
@click.option("--label", "labels", multiple=True, help="Another label (repeatable).")
@click.option(
    "--link", "notebook", type=click.Path(path_type=Path), help="Link this notebook to the new issue."
)
@json_option
def issue_new(
    issue_type: str,
    title: str,
    ask: int | None,
    experiment: int | None,
    variant: str | None,
    sections: tuple[str, ...],
    labels: tuple[str, ...],
    notebook: Path | None,
    as_json: bool,
) -> None:
    """Create an issue of TYPE from its DSLP template.

    Example: jupyter dsl issue new Explore "Churn by region" --ask 1
    """
    filled = parse_sections(sections)  # every input is checked before the tracker is opened
    path = resolve_path(notebook) if notebook else None
    _, tracker = open_project_tracker(path.parent if path else None)
    created, linked = links.new_issue_and_link(
        tracker,
        path,
        IssueType.parse(issue_type),
        title,
        ask=ask,
        experiment=experiment,
        sections=filled,
        variant=variant,
        labels=labels,
    )

    def human() -> None:
        console.print(f"created {issue_line(created)}")
        if created.url:
            console.print(created.url, markup=False)
        if linked and notebook:
            console.print(f"linked {notebook} → #{created.number}, branch {linked.branch}", markup=False)

    emit(as_json, {"issue": created.to_json(), "link": linked.to_json() if linked else None}, human)


@issue.command("list")
@click.option("--type", "issue_type", type=click.Choice(TYPE_NAMES, case_sensitive=False))
@click.option("--state", type=click.Choice(["open", "closed", "all"]), default="open", show_default=True)
@click.option("--label", "labels", multiple=True, help="Only issues with this label (repeatable).")
@json_option
def issue_list(issue_type: str | None, state: str, labels: tuple[str, ...], as_json: bool) -> None:
    """List issues, newest first."""
    _, tracker = open_project_tracker()
    query = IssueQuery(type=IssueType.parse(issue_type) if issue_type else None, state=state, labels=labels)  # type: ignore[arg-type]
    items = tracker.list(query)

    def human() -> None:
        show_offline(tracker)
        if items:
            console.print(issue_table(items))
        else:
            console.print("no issues match", style="dim")

    emit(
        as_json, {"issues": [item.to_json() for item in items], "offline_as_of": tracker.offline_as_of}, human
    )


@issue.command("show")
@click.argument("number", type=ISSUE_NUMBER)
@click.option("--comments/--no-comments", default=True, show_default=True)
@json_option
def issue_show(number: int, comments: bool, as_json: bool) -> None:
    """Show issue NUMBER: its type, state, Ask, body and comments."""
    _, tracker = open_project_tracker()
    found = issue_with_ask(tracker, number)
    item, ask = found.issue, found.ask
    notes = tracker.comments(number) if comments else []
    moved: list[int] = getattr(tracker, "moved_away", lambda _: [])(number)  # renumbered by a sync (local)

    def human() -> None:
        show_offline(tracker)
        for now in moved:
            console.print(
                f"note: another issue was also #{number}; a sync renumbered it to #{now}", markup=False
            )
        console.print(issue_line(item))
        meta = [f"state: {item.state}" + (f" ({item.state_reason})" if item.state_reason else "")]
        if item.labels:
            meta.append("labels: " + ", ".join(item.labels))
        if ask:
            meta.append(f"ask: #{ask.number} {ask.title}")
        elif found.ask_missing:
            meta.append(f"ask: #{found.ask_number} (missing from the tracker)")
        console.print("  ".join(meta), style="dim", markup=False)
        console.print(Markdown(item.body or "_no description_"))
        for note in notes:
            console.rule(f"{note.author} {note.created_at}", style="dim")
            console.print(Markdown(note.body))

    payload = {
        **found.to_json(),
        "comments": [c.to_json() for c in notes],
        "offline_as_of": tracker.offline_as_of,
        **({"renumbered_to": moved} if moved else {}),
    }
    emit(as_json, payload, human)


def _text_or_stdin(text: str) -> str:
    return sys.stdin.read() if text == "-" else text


def _read_body_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"body file {path} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the body file {path}: {exc}") from exc


@issue.command("comment")
@click.argument("number", type=ISSUE_NUMBER)
@click.argument("text")
@json_option
def issue_comment(number: int, text: str, as_json: bool) -> None:
    """Add a comment (TEXT, or - to read it from stdin)."""
    _, tracker = open_project_tracker()
    note = comment_issue(tracker, number, _text_or_stdin(text))
    emit(as_json, {"comment": note.to_json()}, lambda: console.print(f"commented on #{number}"))


@issue.command("edit")
@click.argument("number", type=ISSUE_NUMBER)
@click.option("--title", help="The new title.")
@click.option("--body", help="The new body (- reads stdin).")
@click.option(
    "--body-file", type=click.Path(dir_okay=False, path_type=Path), help="Read the body from a file."
)
@json_option
def issue_edit(
    number: int, title: str | None, body: str | None, body_file: Path | None, as_json: bool
) -> None:
    """Change an issue's title or body."""
    if body is not None and body_file is not None:
        raise InvalidInput("give --body or --body-file, not both")
    text = _read_body_file(resolve_path(body_file)) if body_file else None
    if body is not None:
        text = _text_or_stdin(body)
    if title is None and text is None:
        raise InvalidInput("nothing to change", hint="Give --title, --body or --body-file.")
    _, tracker = open_project_tracker()
    item = edit_issue(tracker, number, title=title, body=text)
    emit(as_json, {"issue": item.to_json()}, lambda: console.print(f"edited {issue_line(item)}"))


@issue.command("label")
@click.argument("number", type=ISSUE_NUMBER)
@click.option("--add", "add", multiple=True, help="Add this label (repeatable).")
@click.option("--remove", "remove", multiple=True, help="Remove this label (repeatable).")
@json_option
def issue_label(number: int, add: tuple[str, ...], remove: tuple[str, ...], as_json: bool) -> None:
    """Add or remove labels, e.g. --add succeeded --remove "on hold"."""
    if not add and not remove:
        raise InvalidInput("nothing to change", hint="Give --add LABEL or --remove LABEL.")
    _, tracker = open_project_tracker()
    item = label_issue(tracker, number, add=add, remove=remove)  # all checked first: all or nothing
    emit(
        as_json,
        {"issue": item.to_json()},
        lambda: console.print(f"#{number} labels: {', '.join(item.labels)}", markup=False),
    )


@issue.command("close")
@click.argument("number", type=ISSUE_NUMBER)
@click.option(
    "--reason", type=click.Choice(["completed", "not_planned"]), default="completed", show_default=True
)
@click.option("--comment", "text", help="Comment before closing.")
@json_option
def issue_close(number: int, reason: str, text: str | None, as_json: bool) -> None:
    """Close an issue with a reason."""
    _, tracker = open_project_tracker()
    item = close_issue(tracker, number, reason, comment=text or None)  # type: ignore[arg-type]
    emit(as_json, {"issue": item.to_json()}, lambda: console.print(f"closed #{number} ({reason})"))


@issue.command("reopen")
@click.argument("number", type=ISSUE_NUMBER)
@json_option
def issue_reopen(number: int, as_json: bool) -> None:
    """Reopen a closed issue."""
    _, tracker = open_project_tracker()
    item = reopen_issue(tracker, number)
    emit(as_json, {"issue": item.to_json()}, lambda: console.print(f"reopened #{number}"))


@cli.group()
def labels() -> None:
    """The tracker's labels."""


def print_label_changes(changes: list[LabelChange]) -> None:
    for change in changes:
        before = ""
        if change.action == "updated" and change.before is not None:
            before = f"  (was {change.before.name}, {change.before.color}, {change.before.description!r})"
        console.print(f"{change.action:<9} {change.label.name}{before}", markup=False)
    counts = {
        action: sum(c.action == action for c in changes) for action in ("created", "updated", "unchanged")
    }
    console.print(", ".join(f"{n} {action}" for action, n in counts.items()), style="dim", markup=False)


@labels.command("sync")
@click.option("--dry-run", is_flag=True, help="Only say what would change.")
@json_option
def labels_sync(dry_run: bool, as_json: bool) -> None:
    """Create or update the eleven DSLP labels (name, colour, description); others are left alone.

    Example: jupyter dsl labels sync
    """
    _, tracker = open_project_tracker()
    changes = sync_labels(tracker, dry_run=dry_run)
    payload = {"labels": [c.to_json() for c in changes], "dry_run": dry_run}
    emit(as_json, payload, lambda: print_label_changes(changes))


@cli.command()
@click.argument("notebook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--draft", is_flag=True, help="Open the pull request as a draft.")
@json_option
def pr(notebook: Path, draft: bool, as_json: bool) -> None:
    """Push NOTEBOOK's DSLP branch and open its pull (merge) request, linked to the issue.

    Checks first: the notebook is linked, git is on its branch, the remote ([branches] remote,
    default origin) exists, the tracker is a forge. An open pull request of the issue is reused.
    """
    path = resolve_path(notebook)
    project, tracker = open_project_tracker(path.parent)
    result = open_pull(project, tracker, path, draft=draft)

    def human() -> None:
        verb = "opened" if result.created else "reused"
        console.print(f"pushed {result.branch} to {result.remote}", markup=False)
        console.print(f"{verb} pull request #{result.pull.number} for #{result.issue.number}", markup=False)
        if result.pull.url:
            console.print(result.pull.url, markup=False)

    emit(as_json, result.to_json(), human)
