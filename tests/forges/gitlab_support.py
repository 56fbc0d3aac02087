"""A GitLab tracker wired to a tests/forges/gitlab_server.py instance, with test-sized waits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forge_clients import closed_after_test

from jupyter_dsl.trackers.gitlab import GitLabTracker

from .gitlab_server import GitLabServer


def tracker_for(server: GitLabServer, cache_dir: Path | None, **overrides: Any) -> GitLabTracker:
    """Short backoff and rate-limit bound so fault tests finish fast; everything else as configured."""
    options: dict[str, Any] = {
        "token": server.token,
        "api_url": server.base_url,
        "cache_dir": cache_dir,
        "timeout": 5.0,
        "rate_limit_wait": 2.0,
        "retries": 3,
        "backoff": 0.01,
    }
    options.update(overrides)
    project = options.pop("project", server.project_path)
    return closed_after_test(GitLabTracker(project, **options))
