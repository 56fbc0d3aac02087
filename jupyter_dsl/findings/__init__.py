"""Findings: collect them from a notebook, render the summary, and complete the issue (DSLP's ending)."""

from __future__ import annotations

from .collect import FINDING_MIME, FINDING_TAG, Artifact, Collected, Goal, Insight, collect
from .redact import REDACTED, Redactor
from .summary import Summary, build_summary

__all__ = [
    "FINDING_MIME",
    "FINDING_TAG",
    "REDACTED",
    "Artifact",
    "Collected",
    "Goal",
    "Insight",
    "Redactor",
    "Summary",
    "build_summary",
    "collect",
]
