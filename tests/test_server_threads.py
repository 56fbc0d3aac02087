"""Blocking core calls run off the event loop: while one request waits inside the tracker, the server
still answers others."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from server_support import Api, RaisingTracker, api, project_with_tracker, server_config
from traitlets.config import Config

from jupyter_dsl.trackers import Issue, IssueQuery, register

__all__ = ["api"]  # the fixture, imported for pytest

GUARD_S = 30  # only bounds a broken run; nothing here measures time


class WaitingTracker(RaisingTracker):
    """``list`` blocks its thread until the test releases it; it fails if the release never came,
    which is what happens when ``list`` runs on the event loop (the loop could not serve the release)."""

    kind = "waiting-for-tests"
    entered = threading.Event()
    release = threading.Event()

    def list(self, query: IssueQuery) -> list[Issue]:
        WaitingTracker.entered.set()
        if not WaitingTracker.release.wait(GUARD_S):
            raise RuntimeError("never released: the event loop was blocked")
        return []


register(WaitingTracker.kind, WaitingTracker)


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


def test_a_slow_tracker_does_not_block_other_requests(api: Api, jp_root_dir: Path) -> None:
    project_with_tracker(jp_root_dir / "p", WaitingTracker.kind)
    WaitingTracker.entered.clear()
    WaitingTracker.release.clear()

    async def scenario() -> tuple[Any, Any]:
        slow = asyncio.ensure_future(
            api.client.fetch(api.url("issues", {"path": "p"}), headers=api.auth_header, raise_error=False)
        )
        waiting = asyncio.get_running_loop().run_in_executor(None, WaitingTracker.entered.wait, GUARD_S)
        assert await waiting, "the slow request never reached the tracker"  # it is inside it now
        fast = await api.client.fetch(api.url("version"), headers=api.auth_header, raise_error=False)
        WaitingTracker.release.set()
        return fast, await slow

    fast, slow = api.loop.run_until_complete(asyncio.wait_for(scenario(), GUARD_S * 2))
    assert fast.code == 200
    assert slow.code == 200, slow.body
    assert json.loads(slow.body)["issues"] == []
