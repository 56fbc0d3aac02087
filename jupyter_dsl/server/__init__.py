"""The jupyter-server extension of jupyter-dsl: authenticated, authorized routes under ``/jupyter-dsl/``."""

from __future__ import annotations

from .app import JupyterDSL

__all__ = ["JupyterDSL"]
