"""jupyter-dsl: the Data Science Lifecycle Process in Jupyter.

Importable from a notebook: ``jupyter_dsl.record(name, value)`` and ``jupyter_dsl.run_dir()``;
``%load_ext jupyter_dsl`` for the ``%dsl`` magics. Also a Jupyter server extension and a
prebuilt JupyterLab extension.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .errors import DslError

__all__ = ["DslError", "__version__"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyter-dsl"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .server import DslExtension

    return [{"module": "jupyter_dsl", "app": DslExtension}]


def load_ipython_extension(ipython: Any) -> None:
    from .magics import register

    register(ipython)
