"""The jupyter-server extension: ``DslExtension`` adds the ``/jupyter-dsl/`` routes."""

from __future__ import annotations

from jupyter_server.extension.application import ExtensionApp

from .handlers import routes


class DslExtension(ExtensionApp):
    """jupyter-dsl's REST API for the JupyterLab sidebar (docs/rest-api.md)."""

    name = "jupyter_dsl"
    load_other_extensions = True

    def initialize_handlers(self) -> None:
        self.handlers.extend(routes())
