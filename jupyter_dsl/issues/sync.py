"""`sync`: the project's local issues with a git remote (``trackers.gitrefs.sync``), and, once runs
travel too, the run records of the shared artifact store."""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass
from typing import Any

from .. import hints
from ..errors import Conflict, InvalidInput, NotFound
from ..project.settings import Project
from ..trackers import LocalTracker, open_tracker
from ..trackers.gitrefs.sync import SyncReport, choose_remote, sync
from .ask_links import list_in_ask

NEEDS_GIT = "sync needs git: this project's issues are in its database only (it is not a git repository)"


@dataclass
class ProjectSync:
    issues: SyncReport
    runs: Any = None  # what syncing shared runs reported (None: not done here)

    def to_json(self) -> dict[str, Any]:
        return {
            "issues": asdict(self.issues),
            "runs": self.runs if isinstance(self.runs, dict | None) else str(self.runs),
        }


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
    # SHARED RUNS (issue 18 item 5): here sync also indexes the run records a teammate put in the
    # artifact store. `jupyter_dsl.runs.shared` provides it; until it exists this does nothing.
    return ProjectSync(report, _sync_shared_runs(project, dry_run=dry_run))


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


def _sync_shared_runs(project: Project, *, dry_run: bool) -> Any:
    try:
        shared = importlib.import_module("jupyter_dsl.runs.shared")
    except ImportError:
        return None
    function = getattr(shared, "sync_shared_runs", None)
    return function(project, dry_run=dry_run) if callable(function) else None
