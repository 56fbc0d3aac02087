"""The jupyter-server extension: ``DslExtension`` adds the ``/jupyter-dsl/`` routes."""

from __future__ import annotations

from jupyter_server.extension.application import ExtensionApp

from ..project import gitrepo
from ..runs.service import RunService
from .handlers import routes
from .handlers.jobs import SETTING


class DslExtension(ExtensionApp):
    """jupyter-dsl's REST API for the JupyterLab sidebar (docs/rest-api.md)."""

    name = "jupyter_dsl"
    load_other_extensions = True

    def initialize_handlers(self) -> None:
        self.handlers.extend(routes())

    def initialize_settings(self) -> None:
        gitrepo.INTERACTIVE = False  # a git prompt would hang a request on the server's terminal

    async def stop_extension(self) -> None:
        """Shut the run service down: runs under way finish their records, queued ones never start."""
        service = self.serverapp.web_app.settings.get(SETTING) if self.serverapp else None
        if isinstance(service, RunService):
            service.shutdown()
