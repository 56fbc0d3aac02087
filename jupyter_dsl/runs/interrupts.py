"""A run and the signals of the process that records it: SIGINT and SIGTERM stop the run, then the
record is written whatever arrives meanwhile, then the signal is re-raised with the record attached.
(Which signals stop what is the run service's business, in the foreground only: ``runs.foreground``.)"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from .records import RunRecord

RECORD_ATTRIBUTE = "run_record"  # set on a re-raised KeyboardInterrupt / Terminated


def stopped_record(exc: BaseException) -> RunRecord | None:
    """The stored record of a run that an interrupt or SIGTERM stopped."""
    record = getattr(exc, RECORD_ATTRIBUTE, None)
    return record if isinstance(record, RunRecord) else None


class Terminated(BaseException):
    """SIGTERM arrived while a run was executing."""


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Finish writing a record even if SIGINT/SIGTERM arrive meanwhile (they are re-raised after)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: pending.append(signum))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if signal.SIGTERM in pending:
            raise Terminated()
        if signal.SIGINT in pending:
            raise KeyboardInterrupt()
