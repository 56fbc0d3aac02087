"""HOOK for the data feature: the versions of a Data issue's dataset and of a Model issue's model.

The data and model versions feature (``jupyter_dsl.data``, ``jupyter_dsl.models``) is built in
parallel with the story. When it is installed, the story asks it for an issue's versions through one
function, ``versions_for_issue(project, number)``, returning records (objects or dicts) with ``name``,
``version`` and optionally ``created_at``, ``run`` (or ``run_id``) and ``commit``. When the package or
the function is absent, ``None`` says so and the story says "versions are not recorded here".
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from ..project.settings import Project
from .model import Link, Version

DATA_MODULE = "jupyter_dsl.data"
MODEL_MODULE = "jupyter_dsl.models"
HOOK = "versions_for_issue"


def version_source(module: str) -> Callable[[Project, int], Any] | None:
    """The data feature's ``versions_for_issue`` in ``module``, or None when it is not there."""
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module.startswith(exc.name):
            return None  # the feature is absent; a module that fails inside is a real error
        raise
    hook = getattr(found, HOOK, None)
    return hook if callable(hook) else None


def _field(item: Any, *names: str) -> Any:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value is not None:
            return value
    return None


def versions_of(project: Project, number: int, module: str) -> list[Version] | None:
    """Issue ``number``'s versions from ``module``'s hook; None when the data feature is absent."""
    hook = version_source(module)
    if hook is None:
        return None
    versions: list[Version] = []
    for item in hook(project, number) or []:
        run = _field(item, "run", "run_id")
        commit = _field(item, "commit")
        links = [Link(str(run), "run")] if run else []
        links += [Link(str(commit)[:10], "commit", title=str(commit))] if commit else []
        versions.append(
            Version(
                str(_field(item, "name") or ""),
                str(_field(item, "version") or ""),
                str(_field(item, "created_at") or ""),
                str(run) if run else None,
                links,
            )
        )
    return versions
