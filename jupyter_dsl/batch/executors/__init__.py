"""Batch executors, looked up by name: ``local`` (threads here), ``dask`` (a dask.distributed cluster),
plus third parties' ``jupyter_dsl.executors`` entry points (a factory ``(project, options) -> Executor``)."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

from ...errors import ConfigError
from ...project.settings import Project
from .base import BatchJob, BatchProgress, Executor, ExecutorOptions, RunTask

__all__ = [
    "BatchJob",
    "BatchProgress",
    "Executor",
    "ExecutorOptions",
    "RunTask",
    "names",
    "open_executor",
    "register",
]

ExecutorFactory = Callable[[Project, ExecutorOptions], Executor]
_REGISTRY: dict[str, ExecutorFactory] = {}


def register(name: str, factory: ExecutorFactory) -> None:
    """Make ``--executor NAME`` (or ``[batch] executor``) build its executor with ``factory``."""
    _REGISTRY[name] = factory


def _local(project: Project, options: ExecutorOptions) -> Executor:
    from .local import LocalExecutor  # lazy: an executor's code loads only when it is chosen

    return LocalExecutor(options.workers)


def _dask(project: Project, options: ExecutorOptions) -> Executor:
    from .dask import DaskExecutor  # lazy: an executor's code loads only when it is chosen

    return DaskExecutor(options.scheduler, options.workers)


register("local", _local)
register("dask", _dask)


def names() -> list[str]:
    return sorted({*_REGISTRY, *(e.name for e in entry_points(group="jupyter_dsl.executors"))})


def open_executor(name: str, project: Project, options: ExecutorOptions) -> Executor:
    """The executor called ``name``; ConfigError (naming the installed ones) for an unknown name."""
    factory = _REGISTRY.get(name)
    if factory is None:
        for entry in entry_points(group="jupyter_dsl.executors"):
            if entry.name == name:
                factory = entry.load()
                break
    if factory is None:
        raise ConfigError(
            f"no batch executor named {name!r} is installed",
            hint=f"Installed executors: {', '.join(names())}.",
        )
    return factory(project, options)
