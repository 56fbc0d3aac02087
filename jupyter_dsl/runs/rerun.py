"""Rerun a recorded run with its recorded parameters, and say what changed since."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..data.input_record import data_changes
from ..errors import NotFound
from ..project.settings import Project
from .environment import compare
from .execute import RunPlan, plan_run
from .records import RunRecord
from .store import RunStore


@dataclass
class RerunReport:
    original: RunRecord
    rerun: RunRecord
    changes: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "original": self.original.id,
            # the original's files its commit did not hold (null: not known, an older record)
            "original_unreproducible": _files(self.original),
            "run": self.rerun.to_json(packages=False),
            "changes": self.changes,
        }


def _files(record: RunRecord) -> list[dict[str, str]] | None:
    return None if record.unreproducible is None else [asdict(f) for f in record.unreproducible]


def changes_between(old: RunRecord, new: RunRecord) -> dict[str, Any]:
    """What differs between two runs of the same notebook: code, environment, kernel, outcome."""
    changes: dict[str, Any] = {}
    old_git, new_git = old.git, new.git
    old_commit = old_git.commit if old_git else None
    new_commit = new_git.commit if new_git else None
    if old_commit != new_commit:
        changes["commit"] = [old_commit, new_commit]
    old_dirty = (old_git.dirty, old_git.diff_hash) if old_git else None
    new_dirty = (new_git.dirty, new_git.diff_hash) if new_git else None
    if old_dirty != new_dirty:
        changes["working_tree"] = [
            {"dirty": old_git.dirty, "diff_hash": old_git.diff_hash} if old_git else None,
            {"dirty": new_git.dirty, "diff_hash": new_git.diff_hash} if new_git else None,
        ]
    if old.unreproducible is not None and _files(old) != _files(new):
        changes["unreproducible"] = [_files(old), _files(new)]
    if old.notebook_hash != new.notebook_hash:
        changes["notebook"] = [old.notebook_hash, new.notebook_hash]
    env = compare(old.environment, new.environment)
    if env.any:
        changes["environment"] = env.to_json()
    if old.kernel != new.kernel:
        changes["kernel"] = [old.kernel, new.kernel]
    if old.status != new.status:
        changes["status"] = [old.status, new.status]
    metrics = {
        name: [old.metrics.get(name), new.metrics.get(name)]
        for name in dict.fromkeys([*old.metrics, *new.metrics])
        if old.metrics.get(name) != new.metrics.get(name)
    }
    if metrics:
        changes["metrics"] = metrics
    data = data_changes(old.inputs, new.inputs)
    if data:
        changes["data"] = data  # the data changed since: which dataset, which version
    return changes


def _missing_hint(original: RunRecord) -> str:
    commit = original.git.commit[:12] if original.git and original.git.commit else None
    held = [f for f in original.unreproducible or [] if f.path == original.notebook]
    if held:
        return (
            f"Its commit does not hold it ({held[0].said} when it ran); "
            "the run's output notebook holds the cells as they ran."
        )
    return "Check out the commit it ran at" + (f" ({commit})" if commit else "") + " and try again."


def plan_rerun(project: Project, run_id: str) -> tuple[RunRecord, RunPlan]:
    """The run ``run_id`` names (any unique part of its id) and the plan that executes its notebook
    again with its recorded parameters and kernel; nothing is written. The run service executes it."""
    with RunStore(project.database_path) as store:
        original = store.get(run_id)
    notebook = project.root / original.notebook
    if not notebook.exists():
        raise NotFound(
            f"the notebook of run {original.id}, {original.notebook}, is not in the working tree",
            hint=_missing_hint(original),
        )
    plan = plan_run(
        project, notebook, values=original.parameters, kernel=original.kernel, rerun_of=original.id
    )
    return original, plan


def rerun_report(original: RunRecord, new: RunRecord) -> RerunReport:
    return RerunReport(original, new, changes_between(original, new))
