"""The story of an Ask as data: what ``collect`` gathers and the templates show, one typed model with
``to_json`` for every surface. Every number, figure and run carries the links to where it came from."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Link:
    """Where something came from: a path relative to the project root (``path``), a URL (``url``), or
    only text to show (a commit with no web page): ``href`` is made per page when it is rendered."""

    text: str
    kind: str  # notebook | run | output-notebook | commit | findings | issue | batch
    path: str | None = None  # POSIX, relative to the project root, or absolute outside it
    url: str | None = None
    title: str = ""  # what a tooltip says (a commit's full hash)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Figure:
    name: str  # file name when written beside a Markdown story
    mime: str
    data: bytes
    alt: str
    sources: list[Link] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mime": self.mime,
            "alt": self.alt,
            "bytes": len(self.data),
            "sources": [s.to_json() for s in self.sources],
        }

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass
class Goal:
    text: str
    done: bool


@dataclass
class Insight:
    number: int
    title: str
    description: str  # Markdown, from the committed findings summary
    figures: list[Figure] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "description": self.description,
            "figures": [f.to_json() for f in self.figures],
        }


@dataclass
class Findings:
    """An Explore's committed findings summary, as read back from its file."""

    tldr: str
    insights: list[Insight]
    goals: list[Goal]
    sources: list[Link]  # the findings file, the notebook, the commit

    def to_json(self) -> dict[str, Any]:
        return {
            "tldr": self.tldr,
            "insights": [i.to_json() for i in self.insights],
            "goals": [g.__dict__ for g in self.goals],
            "sources": [s.to_json() for s in self.sources],
        }


@dataclass
class RunView:
    id: str
    status: str
    started: str
    parameters: dict[str, str]  # the parameters that differ between the issue's runs
    metrics: dict[str, str]
    links: list[Link]  # the run's output notebook, its notebook, its commit

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["links"] = [link.to_json() for link in self.links]
        return data


@dataclass
class Experiment:
    outcome: str | None  # succeeded | failed | None (not decided yet)
    tldr: str  # the TL;DR line of the issue's Results
    metric: str | None  # the metric its runs are ranked by
    higher_is_better: bool
    varying: list[str]  # the parameters that differ between its runs
    best: list[RunView]
    total: int
    failed: int
    chart: Figure | None = None
    chart_x: str | None = None  # the parameter that varied most

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k not in ("best", "chart")}
        data["best"] = [run.to_json() for run in self.best]
        data["chart"] = self.chart.to_json() if self.chart is not None else None
        return data


@dataclass
class Version:
    """A data or model version (from the data feature, when the project has it)."""

    name: str
    version: str
    created_at: str = ""
    run: str | None = None  # the run it came from
    links: list[Link] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["links"] = [link.to_json() for link in self.links]
        return data


@dataclass
class IssueStory:
    number: int
    type: str  # Data | Explore | Experiment | Model | another label
    title: str
    state: str
    labels: list[str]
    link: Link
    opened: str
    closed: str | None
    notebooks: list[Link] = field(default_factory=list)
    findings: Findings | None = None  # Explore
    goals: list[Goal] = field(default_factory=list)  # Explore: from the issue when no findings
    experiment: Experiment | None = None  # Experiment
    versions: list[Version] | None = None  # Data, Model: None when the data feature is absent
    runs: int = 0

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items()}
        data["link"] = self.link.to_json()
        data["notebooks"] = [n.to_json() for n in self.notebooks]
        data["findings"] = self.findings.to_json() if self.findings else None
        data["goals"] = [g.__dict__ for g in self.goals]
        data["experiment"] = self.experiment.to_json() if self.experiment else None
        data["versions"] = [v.to_json() for v in self.versions] if self.versions is not None else None
        return data


@dataclass
class Event:
    when: str  # ISO time
    kind: str  # opened | closed | completed | runs | batch
    text: str
    links: list[Link] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "links": [link.to_json() for link in self.links]}


@dataclass
class Story:
    number: int
    title: str
    state: str
    link: Link
    problem: str  # Markdown: the Ask's Problem Statement
    success: str  # Markdown: its Success Criteria
    issues: dict[str, list[IssueStory]]  # by type, in DSLP order
    timeline: list[Event]
    data_feature: bool  # whether the project records data and model versions
    updated: str = ""  # the latest change of the Ask or its work on the tracker

    @property
    def work(self) -> list[IssueStory]:
        return [issue for issues in self.issues.values() for issue in issues]

    @property
    def last_activity(self) -> str:
        return max([self.updated, *(event.when for event in self.timeline)])

    @property
    def figures(self) -> list[Figure]:
        found: list[Figure] = []
        for issue in self.work:
            if issue.findings is not None:
                found += [f for insight in issue.findings.insights for f in insight.figures]
            if issue.experiment is not None and issue.experiment.chart is not None:
                found.append(issue.experiment.chart)
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "state": self.state,
            "link": self.link.to_json(),
            "problem": self.problem,
            "success": self.success,
            "issues": {kind: [i.to_json() for i in items] for kind, items in self.issues.items()},
            "timeline": [event.to_json() for event in self.timeline],
            "last_activity": self.last_activity,
            "data_feature": self.data_feature,
            "updated": self.updated,
        }
