"""The signals of a run or batch the run service drives in the foreground (on the main thread only):
SIGTERM stops it as Ctrl-C does; a batch is cancelled once and waited for with both ignored."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

from .interrupts import Terminated


def on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def terminate_raises() -> Iterator[None]:
    """While a run executes, SIGTERM raises :class:`Terminated` (as SIGINT raises KeyboardInterrupt)."""
    if not on_main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def wait_cancelling(done: threading.Event, cancel: Callable[[str], None]) -> str | None:
    """Wait for ``done``; on the main thread Ctrl-C / SIGTERM call ``cancel("interrupted" |
    "killed")`` once and the wait goes on with both ignored. Returns the signal's reason, if one came.

    Waits on an Event, not ``Thread.join``: a join interrupted by a signal can report a thread that
    is still running as finished (CPython < 3.13)."""
    if not on_main_thread():
        done.wait()
        return None
    stopped: str | None = None
    try:
        with terminate_raises():
            while not done.wait(0.2):
                pass
    except KeyboardInterrupt:
        stopped = "interrupted"
    except Terminated:
        stopped = "killed"
    if stopped is not None:
        previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            cancel(stopped)
            done.wait()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    return stopped
