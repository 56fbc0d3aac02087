"""An optional timing collector: where a run's time goes, phase by phase, wall and CPU.

Off by default, and then ``phase(name)`` hands back one shared do-nothing context (a global read and
a call: nothing is measured or kept). ``collecting()`` turns it on for a block (a benchmark's
``--profile``): every ``phase`` then adds its wall time and the CPU time of the thread that ran it
(``time.thread_time``) to the collector, and ``add`` takes figures measured elsewhere (a kernel
process's CPU, read from ``/proc`` before it is killed).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType


@dataclass
class PhaseTotal:
    wall: float = 0.0  # seconds, summed over every time the phase ran
    cpu: float = 0.0  # seconds of CPU (the thread's, or the process's given to ``add``)
    count: int = 0


@dataclass
class Collector:
    phases: dict[str, PhaseTotal] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, wall: float, cpu: float = 0.0) -> None:
        with self.lock:
            total = self.phases.setdefault(name, PhaseTotal())
            total.wall += wall
            total.cpu += cpu
            total.count += 1


class _Off:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class _Timed:
    __slots__ = ("collector", "cpu", "name", "wall")

    def __init__(self, collector: Collector, name: str) -> None:
        self.collector, self.name = collector, name
        self.wall = self.cpu = 0.0

    def __enter__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.thread_time()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.collector.add(self.name, time.perf_counter() - self.wall, time.thread_time() - self.cpu)


_OFF = _Off()
_active: Collector | None = None


def phase(name: str) -> _Off | _Timed:
    """A context that times its block as ``name`` when a collector is on (else does nothing)."""
    collector = _active
    return _OFF if collector is None else _Timed(collector, name)


def add(name: str, wall: float, cpu: float = 0.0) -> None:
    """Add a figure measured elsewhere (nothing when no collector is on)."""
    collector = _active
    if collector is not None:
        collector.add(name, wall, cpu)


def on() -> bool:
    return _active is not None


@contextmanager
def collecting() -> Iterator[Collector]:
    """Collect every phase timed in this process (any thread) while the block runs."""
    global _active
    collector = Collector()
    _active = collector
    try:
        yield collector
    finally:
        _active = None


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) a live process has used so far, from ``/proc`` (None elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            stat = handle.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks
