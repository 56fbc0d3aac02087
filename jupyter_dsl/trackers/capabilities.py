"""What a forge adds to a tracker's issues: pull requests and web links, each a protocol of its own.

Every tracker has issues (``base.Tracker``). A tracker that also implements ``PullRequests`` or
``WebLinks`` has that capability; code asks ``pull_requests_of(tracker)`` / ``web_links_of(tracker)``
(or ``require_pull_requests``, which refuses in the words users see) and never compares kinds.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..errors import InvalidInput
from .base import PullRequest, Tracker


@runtime_checkable
class PullRequests(Protocol):
    """Pull (merge) requests: a forge's, reviewed and merged there."""

    def pull_request(self, number: int) -> PullRequest | None:
        """The pull (merge) request of issue ``number``: the one on its Related PR line if any, else an
        open one whose head branch is the issue's DSLP branch, else None."""
        ...

    def open_pull_request(
        self, *, head: str, base: str, title: str, body: str, draft: bool = False
    ) -> PullRequest:
        """Open a pull (merge) request from branch ``head`` into ``base``."""
        ...

    def close_pull_request(self, pull: int) -> PullRequest:
        """Close pull request ``pull`` without merging it."""
        ...

    def pull_reference(self, pull: int) -> str:
        """How an issue's text names pull request ``pull`` on this forge (``#7``, or ``!7``)."""
        ...


@runtime_checkable
class WebLinks(Protocol):
    """Web pages: an issue's page and the raw files of the repository, as the forge serves them."""

    def url_of(self, number: int) -> str:
        """The web address of issue ``number``."""
        ...

    def raw_url(self, path: str, ref: str) -> str:
        """The web address of file ``path`` (relative to the repository's top) at branch or commit
        ``ref`` as the forge serves it raw, for images in comments."""
        ...


def pull_requests_of(tracker: Tracker) -> PullRequests | None:
    """The tracker's pull requests, or None when it has none (the local tracker)."""
    return tracker if isinstance(tracker, PullRequests) else None


def web_links_of(tracker: Tracker) -> WebLinks | None:
    """The tracker's web links, or None when it has no web pages (the local tracker)."""
    return tracker if isinstance(tracker, WebLinks) else None


def require_pull_requests(tracker: Tracker) -> PullRequests:
    """The tracker's pull requests; ``InvalidInput`` when it has none. Pull requests live on a forge: a
    local record of one would be reviewed by nobody and merged by nothing, so this refuses instead of
    pretending."""
    found = pull_requests_of(tracker)
    if found is None:
        raise InvalidInput(
            f"the {tracker.kind} tracker has no pull requests; use a forge",
            hint='Set [tracker] kind = "github" or "gitlab" in dsl.toml, or merge the branch with git.',
        )
    return found
