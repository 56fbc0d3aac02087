"""Fork servers kept warm for single runs: a run's fresh kernel is forked from a zygote that has
already imported ipykernel, IPython and the notebook's own imports (``kernels.ahead.KernelLauncher``).

A long-lived process (the Jupyter server) keeps one :class:`WarmKernels` in its run service: the
first run of a notebook starts a zygote for its kernel and imports, later runs fork from it at once.
A short one (``jupyter dsl run``) calls :meth:`WarmKernels.warm` before it loads the rest of the run
stack, so the zygote imports on the other core while the command plans the run. Every run still gets
a new process that never ran another run; the zygote never runs user code. :meth:`close` stops
every zygote (a zygote a run is still using stops when that run ends); a zygote also stops by itself
when the process that started it exits, even when it is SIGKILLed (its request pipe closes).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import sys
import sysconfig
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DslError

if TYPE_CHECKING:
    from ..kernels.ahead import KernelLauncher, StartedKernel
    from .prepare import PreparedRun

KEEP = 2  # zygotes kept at once (each holds ipykernel, IPython and a notebook's imports in memory)
_log = logging.getLogger(__name__)

# kernel name, the notebook's imports, the notebook's folder, and what changes when those imports could
Key = tuple[str, tuple[str, ...], str, tuple[int, ...]]
_INSTALLED = {sysconfig.get_path(n) for n in ("stdlib", "platstdlib", "purelib", "platlib")}


def imports_of(notebook_bytes: bytes) -> tuple[str, ...]:
    """The modules a notebook imports at the top level of its cells (what its zygote preloads)."""
    from ..kernels.ahead import notebook_imports  # lazy: the kernel stack loads when a kernel is needed

    try:
        node = json.loads(notebook_bytes)
    except ValueError:
        return ()
    return tuple(notebook_imports(node)) if isinstance(node, dict) else ()


def freshness(imports: tuple[str, ...]) -> tuple[int, ...]:
    """What changes when a module a zygote preloaded may have changed, so that a run never gets a stale
    one: the modification time of every folder on ``sys.path`` (installing, upgrading or removing a
    package changes its folder) and of every source file of a preloaded module that is not installed
    there (a package developed in place, an editable install)."""
    marks = []
    for folder in sys.path:
        with contextlib.suppress(OSError):
            marks.append(os.stat(folder or ".").st_mtime_ns)
    for name in sorted({module.split(".", 1)[0] for module in imports}):
        try:
            spec = importlib.util.find_spec(name)  # a top-level name: imports nothing
        except (ImportError, ValueError):
            continue
        if spec is None or spec.origin in (None, "built-in", "frozen"):
            continue
        places = list(spec.submodule_search_locations or [])
        if any(Path(p).is_relative_to(root) for p in places or [spec.origin] for root in _INSTALLED if root):
            continue
        files = [Path(spec.origin)] + [f for place in places for f in Path(place).rglob("*.py")]
        marks += sorted(f.stat().st_mtime_ns for f in files if f.is_file())
    return tuple(marks)


@dataclass(eq=False)
class _Warm:
    launcher: KernelLauncher
    in_use: int = 0
    retired: bool = False  # closed as soon as no run uses it


class WarmKernels:
    """Zygotes by (kernel, imports, folder, :func:`freshness` of the imports), at most ``keep`` of
    them: the least recently used idle one is stopped when another is needed. Thread-safe."""

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = max(1, keep)
        self._lock = threading.Lock()
        self._warm: dict[Key, _Warm] = {}  # least recently used first
        self._closed = False

    def warm(self, kernel_name: str, notebook_bytes: bytes, folder: Path) -> None:
        """Start the zygote for this notebook now (it imports in its own process; returns at once)."""
        imports = imports_of(notebook_bytes)
        key = (kernel_name, imports, str(folder), freshness(imports))
        with self._lock:
            _, retired = self._get(key)
        _stop(retired)

    @contextlib.contextmanager
    def kernel(self, prepared: PreparedRun) -> Iterator[StartedKernel | None]:
        """A fresh kernel for this run, forked from its notebook's zygote (started now if it is not
        yet); None when none could start (the run then starts its own kernel, and records why that
        fails if it does). The kernel is the run's: ``execute`` kills it."""
        plan = prepared.plan
        imports = imports_of(prepared.context.notebook_bytes)
        key = (plan.kernel, imports, str(plan.notebook.parent), freshness(imports))
        with self._lock:
            warm, retired = self._get(key)
            if warm is not None:
                warm.in_use += 1
        _stop(retired)
        if warm is None:
            yield None
            return
        try:
            try:
                kernel: StartedKernel | None = warm.launcher.start(prepared.env, plan.notebook.parent)
            except Exception as exc:  # logged; the run starts its own kernel and records how that goes
                _log.warning("jupyter-dsl: no kernel from the fork server (%s); the run starts its own", exc)
                kernel = None
            yield kernel
        finally:
            with self._lock:
                warm.in_use -= 1
                stop = warm.retired and warm.in_use == 0
            if stop:
                warm.launcher.close()

    def _get(self, key: Key) -> tuple[_Warm | None, list[KernelLauncher]]:
        """The zygote for ``key`` (made if need be), as most recently used, and the launchers to stop
        (idle ones it displaced); with the lock held."""
        if self._closed:
            return None, []
        warm = self._warm.pop(key, None)
        retired: list[KernelLauncher] = []
        if warm is None:
            from ..kernels.ahead import KernelLauncher  # lazy: the kernel stack loads when needed

            kernel_name, preload, folder, _ = key
            try:
                launcher = KernelLauncher(kernel_name, preload=preload, local_dir=Path(folder))
            except (DslError, OSError) as exc:
                _log.warning("jupyter-dsl: no fork server for %s (%s)", kernel_name, exc)
                return None, []
            warm = _Warm(launcher)
            retired = self._retire(list(self._warm)[: max(0, len(self._warm) - self._keep + 1)])
        self._warm[key] = warm
        return warm, retired

    def _retire(self, keys: list[Key]) -> list[KernelLauncher]:
        """Forget these zygotes; the idle ones are returned to be stopped (outside the lock), the
        others stop when their last run ends."""
        idle: list[KernelLauncher] = []
        for key in keys:
            warm = self._warm.pop(key)
            warm.retired = True
            if warm.in_use == 0:
                idle.append(warm.launcher)
        return idle

    def zygote_count(self) -> int:
        """How many zygotes are kept (for the server's tests and the benchmark)."""
        with self._lock:
            return len(self._warm)

    def close(self) -> None:
        """Stop every zygote; one a run still uses stops when that run ends. Later runs start their
        own kernels."""
        with self._lock:
            self._closed = True
            retired = self._retire(list(self._warm))
        _stop(retired)


def _stop(launchers: list[KernelLauncher]) -> None:
    for launcher in launchers:
        launcher.close()  # its zygote (no kernel of it is in use)
