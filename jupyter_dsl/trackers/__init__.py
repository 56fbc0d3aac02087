"""Issue trackers, looked up by name: built-ins plus third parties' ``jupyter_dsl.trackers`` entry points.

Every tracker has issues (``Tracker``); forges add ``PullRequests`` and ``WebLinks``, asked for by
capability (``pull_requests_of``, ``web_links_of``, ``require_pull_requests``), never by kind.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

from ..errors import ConfigError
from ..project.settings import Project
from .base import CloseReason, Comment, Issue, IssueQuery, Label, PullRequest, Tracker
from .capabilities import PullRequests, WebLinks, pull_requests_of, require_pull_requests, web_links_of
from .local import LocalTracker

__all__ = [
    "CloseReason",
    "Comment",
    "Issue",
    "IssueQuery",
    "Label",
    "LocalTracker",
    "PullRequest",
    "PullRequests",
    "Tracker",
    "WebLinks",
    "open_tracker",
    "pull_requests_of",
    "register",
    "require_pull_requests",
    "web_links_of",
]

TrackerFactory = Callable[[Project], Tracker]
_REGISTRY: dict[str, TrackerFactory] = {}


def register(kind: str, factory: TrackerFactory) -> None:
    """Make ``[tracker] kind = "<kind>"`` build its tracker with ``factory(project)``."""
    _REGISTRY[kind] = factory


def _local(project: Project) -> Tracker:
    """Issues in the project's git refs when its root is a git repository, else in its database."""
    refs = project.root if (project.root / ".git").exists() else None
    if refs is not None and project.settings.tracker.sync == "auto":
        from .local_auto_sync import AutoSyncingLocalTracker

        return AutoSyncingLocalTracker(project.database_path, refs, project.settings.branches.remote)
    return LocalTracker(project.database_path, repository=refs)


register("local", _local)


def _github(project: Project) -> Tracker:
    from .github import GitHubTracker  # httpx and the forge code load only for a GitHub project

    return GitHubTracker.from_project(project)


register("github", _github)


def _gitlab(project: Project) -> Tracker:
    from .gitlab import GitLabTracker  # httpx and the forge code load only for a GitLab project

    return GitLabTracker.from_project(project)


register("gitlab", _gitlab)


def open_tracker(project: Project) -> Tracker:
    """The tracker a project's ``dsl.toml`` names."""
    kind = project.settings.tracker.kind
    factory = _REGISTRY.get(kind)
    if factory is None:
        for entry in entry_points(group="jupyter_dsl.trackers"):
            if entry.name == kind:
                loaded = entry.load()
                factory = getattr(loaded, "from_project", loaded)
                break
    if factory is None:
        raise ConfigError(
            f"no issue tracker named {kind!r} is installed",
            hint=f"Installed trackers: {', '.join(sorted(_REGISTRY))}.",
        )
    return factory(project)
