"""Papermill on a kernel we started: a papermill engine (papermill's public engine registry) whose
notebook client uses the run's started, connected, ready kernel instead of starting one.

Everything else is papermill's: parameter injection, the output notebook written as cells complete,
its error cells, and ``PapermillExecutionError``. The kernel's life is the caller's: the client
neither shuts it down nor closes its channels.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from nbformat.v4 import writes_json
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.iorw import papermill_io

from ..runs import timings
from .ahead import StartedKernel

ENGINE_NAME = "jupyter-dsl"
_KERNEL_ARG = "dsl_kernel"
_SAVES = "driver: output notebook writes (papermill, each cell)"
_PATH_ARG = "dsl_input_path"


class _StartedKernelClient(PapermillNotebookClient):  # type: ignore[misc]
    def __init__(self, nb_man: Any, *, kernel: StartedKernel, **kw: Any) -> None:
        super().__init__(nb_man, km=kernel.manager, **kw)
        self.kc = kernel.for_this_thread()  # connected and ready: nbclient starts and flushes nothing


def write_output(nb: Any, path: str) -> None:
    """Write the output notebook as papermill's ``write_ipynb`` does, byte for byte, without
    validating it against the schema on every save (a notebook papermill built from a validated
    input; ``nbformat.writes`` only logs what validation finds)."""
    papermill_io.write(writes_json(nb), path)


class _Manager(NotebookExecutionManager):  # type: ignore[misc]
    """papermill's execution manager; it saves the output notebook when papermill's does (each cell's
    start and end), with :func:`write_output` (timed when profiling)."""

    def save(self, **kwargs: Any) -> None:
        if not timings.on():
            self._save()
            return
        import time

        wall, cpu = time.perf_counter(), time.thread_time()
        self._save()
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        timings.add(_SAVES, wall, cpu)
        saved = getattr(_MARK, "saves", (0.0, 0.0))
        _MARK.saves = (saved[0] + wall, saved[1] + cpu)

    def _save(self) -> None:
        if self.output_path:
            write_output(self.nb, self.output_path)
        self.last_save_time = self.now()


class StartedKernelEngine(NBClientEngine):  # type: ignore[misc]
    """Runs the notebook on ``dsl_kernel``; ``dsl_input_path`` is what the output says it ran."""

    @classmethod
    def execute_notebook(
        cls,
        nb: Any,
        kernel_name: str,
        output_path: str | None = None,
        progress_bar: bool = True,
        log_output: bool = False,
        autosave_cell_every: int = 30,
        **kwargs: Any,
    ) -> Any:
        """papermill's ``Engine.execute_notebook``, with :class:`_Manager`."""
        mark("driver: papermill before the engine (load, infer, parameterize)")
        nb.metadata.papermill["input_path"] = kwargs.pop(_PATH_ARG)  # the run was given bytes, not a path
        nb_man = _Manager(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        mark("driver: execution round trips (nbclient: send cells, await replies and outputs)")
        return nb_man.nb

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: int = 60,
        execution_timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        kernel = kwargs.pop(_KERNEL_ARG)
        for unused in ("input_path", "timeout", "startup_timeout", "kernel_manager_class", "cwd"):
            kwargs.pop(unused, None)
        client = _StartedKernelClient(
            nb_man,
            kernel=kernel,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logging.getLogger("papermill"),
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            **kwargs,
        )
        mark("driver: papermill engine set-up")
        return client.execute()


papermill_engines.register(ENGINE_NAME, StartedKernelEngine)


class _Notes(logging.Handler):
    """papermill's warnings, kept per thread (concurrent runs each get their own)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.by_thread: dict[int, list[str]] = {}
        self.lock_ = threading.Lock()
        self.users = 0
        self.propagate = True  # the papermill logger's, restored when the last user leaves

    def emit(self, record: logging.LogRecord) -> None:
        found = self.by_thread.get(record.thread or 0)
        if found is not None:
            found.append(record.getMessage())


_NOTES = _Notes()


@contextmanager
def papermill_notes() -> Iterator[list[str]]:
    """Collect what papermill warns about in this thread, instead of printing it to stderr."""
    logger = logging.getLogger("papermill")
    messages: list[str] = []
    with _NOTES.lock_:
        _NOTES.by_thread[threading.get_ident()] = messages
        _NOTES.users += 1
        if _NOTES.users == 1:
            _NOTES.propagate = logger.propagate
            logger.addHandler(_NOTES)
            logger.propagate = False
    try:
        yield messages
    finally:
        with _NOTES.lock_:
            del _NOTES.by_thread[threading.get_ident()]
            _NOTES.users -= 1
            if _NOTES.users == 0:
                logger.removeHandler(_NOTES)
                logger.propagate = _NOTES.propagate


_MARK = threading.local()


def mark(name: str) -> None:
    """Profiling only: the time since the previous mark of this thread goes to phase ``name``;
    saves of the output notebook in between (timed on their own) are taken out of it."""
    if not timings.on():
        return
    import time

    now = (time.perf_counter(), time.thread_time(), _saves())
    last = getattr(_MARK, "last", None)
    if last is not None and name:
        timings.add(
            name, now[0] - last[0] - (now[2][0] - last[2][0]), now[1] - last[1] - (now[2][1] - last[2][1])
        )
    _MARK.last = now


def _saves() -> tuple[float, float]:
    saves: tuple[float, float] = getattr(_MARK, "saves", (0.0, 0.0))
    return saves
