"""jupyter-dsl: the Data Science Lifecycle Process in Jupyter.

Importable from a notebook: ``jupyter_dsl.record(name, value)``, ``jupyter_dsl.run_dir()`` and
``jupyter_dsl.finding(text, artifact=obj)``;
``%load_ext jupyter_dsl`` for the ``%dsl`` magics. Also a Jupyter server extension and a
prebuilt JupyterLab extension.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import DslError

__all__ = ["DslError", "__version__", "dataset", "finding", "load_model", "record", "run_dir", "save_model"]


def dataset(ref: str) -> Path:
    """The local path of dataset ``ref`` (``"customers"`` or ``"customers@1.2.0"``), pulled and checked
    when missing, and noted as this run's input (name, version, hash)."""
    from .data.run_inputs import dataset as _dataset  # lazy: `import jupyter_dsl` in a notebook stays light

    return _dataset(ref)


def save_model(model: Any, name: str) -> Any:
    """Save ``model`` (an object, or the path of its saved file or folder) as the next version of
    ``name`` in the data store, tied to this run; returns the version (``.version``, ``.md5``)."""
    from .models.save import save_model as _save  # lazy: `import jupyter_dsl` in a notebook stays light

    return _save(model, name)


def load_model(ref: str) -> Any:
    """A saved model: ``"churn-model"`` (the latest), ``"churn-model@1.0.2"`` or an alias,
    ``"churn-model@production"``."""
    from .models.save import load_model as _load  # lazy: `import jupyter_dsl` in a notebook stays light

    return _load(ref)


def finding(text: str, artifact: Any = None, *, answers: int | str | None = None) -> None:
    """Note a finding: ``text``'s first line is its title, the rest its description; ``artifact``
    (a figure, a DataFrame, anything displayable) is shown with it and becomes its artifact;
    ``answers`` names the goal it answers (its number or its text)."""
    from .findings.capture import finding as _finding  # lazy: `import jupyter_dsl` in a notebook stays light

    _finding(text, artifact, answers=answers)


def record(name: str, value: Any) -> None:
    """Record a value for this run (numbers become metrics; strings, JSON, DataFrames, figures are kept)."""
    from .runs.recording import record as _record  # lazy: `import jupyter_dsl` in a notebook stays light

    _record(name, value)


def run_dir() -> Path:
    """The folder whose files become this run's artifacts (``$JUPYTER_DSL_RUN_DIR``)."""
    from .runs.recording import run_dir as _run_dir  # lazy: `import jupyter_dsl` in a notebook stays light

    return _run_dir()


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyter-dsl"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .server import JupyterDSL  # lazy: `import jupyter_dsl` in a notebook stays light

    return [{"module": "jupyter_dsl", "app": JupyterDSL}]


def load_ipython_extension(ipython: Any) -> None:
    from .magics import register  # lazy: `import jupyter_dsl` in a notebook stays light

    register(ipython)
