"""`labels sync`: make the tracker's eleven DSLP labels exactly DSLP.md's (name, colour, description).

Labels are matched by name without regard to case (forges treat ``ask`` and ``Ask`` as one label);
other labels are left alone. Running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..dslp.labels import LABELS
from ..runs.inside_run import refuse_inside_run
from ..trackers import Label, Tracker

Action = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class LabelChange:
    label: Label  # as DSLP defines it
    action: Action
    before: Label | None  # as the tracker had it

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.label.name,
            "action": self.action,
            "color": self.label.color,
            "description": self.label.description,
            "before": self.before.to_json() if self.before else None,
        }


def dslp_labels() -> list[Label]:
    return [Label(label.name, label.color, label.description) for label in LABELS]


def plan_labels(tracker: Tracker) -> list[LabelChange]:
    """What ``sync_labels`` would do, label by label, in DSLP.md's order."""
    existing = {label.name.lower(): label for label in tracker.labels()}
    changes: list[LabelChange] = []
    for wanted in dslp_labels():
        found = existing.get(wanted.name.lower())
        if found is None:
            changes.append(LabelChange(wanted, "created", None))
        elif (found.name, found.color.lower(), found.description) == (
            wanted.name,
            wanted.color,
            wanted.description,
        ):
            changes.append(LabelChange(wanted, "unchanged", found))
        else:
            changes.append(LabelChange(wanted, "updated", found))
    return changes


def sync_labels(tracker: Tracker, *, dry_run: bool = False) -> list[LabelChange]:
    """Create the missing DSLP labels and update the ones that differ; returns what it did (or would)."""
    if not dry_run:
        refuse_inside_run("change the tracker's labels")
    changes = plan_labels(tracker)
    if not dry_run:
        for change in changes:
            if change.action != "unchanged":
                tracker.save_label(change.label, exists=change.action == "updated")
    return changes
