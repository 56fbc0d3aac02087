"""Forge clients a test opens (trackers and bare HTTP clients of the test forges), closed when the test
ends by tests/conftest.py: a kept-alive socket left for the garbage collector is a ResourceWarning,
which this suite counts as an error."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from jupyter_dsl.trackers.http import ForgeHttp

Opened = TypeVar("Opened")

_closers: list[Callable[[], None]] = []


def closed_after_test(opened: Opened) -> Opened:
    """``opened`` itself; its connections close when the test ends (a tracker's ``close_connection``,
    a ForgeHttp's ``close``; never a tracker's ``close``, which closes an issue)."""
    close = getattr(opened, "close_connection", None)
    if close is None:
        assert isinstance(opened, ForgeHttp), opened
        close = opened.close
    _closers.append(close)
    return opened


def close_opened() -> None:
    """Close what the test opened through ``closed_after_test``, newest first."""
    while _closers:
        _closers.pop()()
