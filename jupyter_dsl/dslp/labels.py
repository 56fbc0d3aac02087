"""DSLP's eleven labels (DSLP.md's table, corrected): the five types, Deploy, Communicate and the
status labels, and the type an issue carries by its labels."""

from __future__ import annotations

from dataclasses import dataclass

from .issue_types import IssueType


@dataclass(frozen=True)
class Label:
    name: str
    kind: str  # "type" | "status"
    color: str
    description: str


LABELS: tuple[Label, ...] = (
    Label("Ask", "type", "c9ecff", "Define and scope problem and solution"),
    Label("Data", "type", "1c587c", "Get and transform data"),
    Label("Explore", "type", "f0f29b", "Explore and document data to increase understanding"),
    Label("Experiment", "type", "8569c6", "Build features and train models"),
    Label("Model", "type", "0b4e82", "Prepare model for deployment"),
    Label("Deploy", "type", "f79499", "Register, package, and deploy model"),
    Label("Communicate", "type", "f9f345", "Write reports, create dashboards, summarize findings"),
    Label("succeeded", "status", "67d157", "Met its acceptance criteria (Experiment, Model)"),
    Label("failed", "status", "c2021c", "Did not meet its acceptance criteria (Experiment, Model)"),
    Label("on hold", "status", "ffd04f", "Paused"),
    Label("blocked - need access", "status", "ed9a53", "Waiting for access to data or systems"),
)
LABELS_BY_NAME = {label.name: label for label in LABELS}


def issue_type_of(labels: list[str] | tuple[str, ...]) -> IssueType | None:
    """The DSLP type an issue carries by label (the first type label wins)."""
    for name in labels:
        for member in IssueType:
            if member.value == name:
                return member
    return None
