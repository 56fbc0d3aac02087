"""`sync`: the project's local issues with a git remote (``trackers.gitrefs.sync``), then the run
records and batch states of the shared artifact store (``runs.shared``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .. import hints
from ..errors import Conflict, DslError, InvalidInput, NotFound
from ..project.settings import Project
from ..runs.shared import SharedRunsResult, index_shared_runs, sync_words
from ..trackers import LocalTracker, open_tracker
from ..trackers.gitrefs.sync import SyncReport, choose_remote, sync
from .ask_links import list_in_ask

NEEDS_GIT = "sync needs git: this project's issues are in its database only (it is not a git repository)"


@dataclass
class ProjectSync:
    issues: SyncReport
    runs: SharedRunsResult | None = None  # the shared runs indexed (None: a dry run indexes none)
    runs_error: str | None = None  # why the artifact store could not be read (the issues synced)

    def to_json(self) -> dict[str, Any]:
        runs = None if self.runs is None else self.runs.to_json()
        return {"issues": asdict(self.issues), "runs": runs, "runs_error": self.runs_error}

    def lines(self) -> list[str]:
        """What came in and went out, issues then runs (every surface prints these)."""
        if self.runs_error is not None:
            runs = [f"runs: not indexed: {self.runs_error}"]
        elif self.runs is None:
            runs = ["runs: not indexed in a dry run"]
        else:
            runs = sync_words(self.runs).splitlines()
        return [*self.issues.lines(), *runs]


def local_tracker_with_refs(project: Project) -> LocalTracker:
    tracker = open_tracker(project)
    if not isinstance(tracker, LocalTracker):
        raise InvalidInput(
            f"sync moves local issues through git; this project uses {tracker.kind}, which has its own"
        )
    if tracker.refs is None:
        raise Conflict(NEEDS_GIT, hint=hints.hint("Make the project a git repository (git init), then sync."))
    return tracker


def sync_project(project: Project, remote: str | None = None, *, dry_run: bool = False) -> ProjectSync:
    """Fetch, merge and push the issue refs with ``remote`` (default: ``[branches] remote`` or the only
    remote); with ``dry_run`` only say what would move."""
    tracker = local_tracker_with_refs(project)
    try:
        assert tracker.refs is not None
        name = choose_remote(tracker.refs, remote, project.settings.branches.remote)
        report = sync(tracker.conn, tracker.refs, name, tracker.refresh, dry_run=dry_run)
        if not dry_run and not report.push_error and _restore_ask_lines(tracker, report):
            again = sync(tracker.conn, tracker.refs, name, tracker.refresh)  # send the repaired Asks
            report.went_out += [m for m in again.went_out if m not in report.went_out]
            report.push_error = again.push_error
    finally:
        tracker.close_connection()
    # Runs travel through the artifact store, not git: index what teammates recorded there. The
    # issues have synced by now, so a store that cannot be read is said, not raised over them.
    if dry_run:
        return ProjectSync(report)
    try:
        return ProjectSync(report, index_shared_runs(project))
    except DslError as exc:
        return ProjectSync(report, runs_error=str(exc))


def _restore_ask_lines(tracker: LocalTracker, report: SyncReport) -> bool:
    """Two clones that each added a line to one Ask changed its body at once, and the later body won:
    every issue that moved lists itself in its Ask again (a line already there is left alone)."""
    moved = {m.number for m in report.came_in + report.went_out} | {new for _, new, _ in report.renumbered}
    changed = False
    for number in sorted(moved):
        try:
            update = list_in_ask(tracker, tracker.get(number))
        except NotFound:
            continue
        changed = changed or bool(update and update.changed)
    return changed
