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
from pathlib import Path
from typing import Any

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

from .ahead import StartedKernel

ENGINE_NAME = "jupyter-dsl"
_KERNEL_ARG = "dsl_kernel"
_PATH_ARG = "dsl_input_path"


class _StartedKernelClient(PapermillNotebookClient):  # type: ignore[misc]
    def __init__(self, nb_man: Any, *, kernel: StartedKernel, **kw: Any) -> None:
        super().__init__(nb_man, km=kernel.manager, **kw)
        self.kc = kernel.for_this_thread()  # connected and ready: nbclient starts and flushes nothing


class StartedKernelEngine(NBClientEngine):  # type: ignore[misc]
    """Runs the notebook on ``dsl_kernel``; ``dsl_input_path`` is what the output says it ran."""

    @classmethod
    def execute_notebook(cls, nb: Any, kernel_name: str, **kwargs: Any) -> Any:
        nb.metadata.papermill["input_path"] = kwargs.pop(_PATH_ARG)  # the run was given bytes, not a path
        return super().execute_notebook(nb, kernel_name, **kwargs)

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


def run_papermill(
    node: Any,
    input_path: Path,
    output: Path,
    *,
    kernel: StartedKernel,
    kernel_name: str,
    language: str,
    parameters: dict[str, Any],
    progress: bool,
) -> None:
    """Execute ``node`` (the notebook as read once) with papermill on ``kernel``; writes ``output``."""
    import papermill  # lazy: papermill loads nbclient and its IO stack, only for a run or an inspection

    papermill.execute_notebook(
        node,
        str(output),
        parameters=parameters or None,
        engine_name=ENGINE_NAME,
        kernel_name=kernel_name,
        language=language,
        progress_bar=progress,
        shutdown_kernel="immediate",  # nbclient's own Ctrl-C cleanup: never a graceful-shutdown wait
        **{_KERNEL_ARG: kernel, _PATH_ARG: str(input_path)},
    )
