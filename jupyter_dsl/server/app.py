"""The jupyter-server extension: ``JupyterDSL`` adds the ``/jupyter-dsl/`` routes.

Its settings are traitlets, configured as ``c.JupyterDSL.workers = 4`` in ``jupyter_server_config.py``
or ``--JupyterDSL.workers=4`` on the command line (README, "Server settings")."""

from __future__ import annotations

import os
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import Integer, TraitError, validate

from ..project import gitrepo
from ..runs.service import RunService
from ..runs.warm_kernels import WarmKernels
from .handlers import routes
from .handlers.jobs import SETTING as JOBS
from .limits import SETTING as LIMITS
from .limits import Limits
from .trackers import SETTING as TRACKERS
from .trackers import ProjectTrackers

SETTINGS = ("workers", "max_workers", "preview_sets", "jobs_kept", "max_configs", "batches_listed")


class JupyterDSL(ExtensionApp):
    """jupyter-dsl's REST API for the JupyterLab sidebar (docs/rest-api.md)."""

    name = "jupyter_dsl"
    load_other_extensions = True
    run_service: RunService | None = None  # made with the settings, below
    project_trackers: ProjectTrackers | None = None

    workers = Integer(
        os.cpu_count() or 1,
        help="Runs started from the sidebar (Run, Rerun) that execute at once, each in a fresh kernel; "
        "more wait in a queue. Default: the machine's cores.",
    ).tag(config=True)
    max_workers = Integer(
        64, help="The most runs at once a batch started from the sidebar may ask for (its workers field)."
    ).tag(config=True)
    preview_sets = Integer(500, help="Parameter sets a batch preview lists (it counts them all).").tag(
        config=True
    )
    jobs_kept = Integer(
        100, help="Finished sidebar runs the server remembers for the sidebar (the oldest are forgotten)."
    ).tag(config=True)
    max_configs = Integer(200, help="YAML config and grid files the sidebar is offered, at most.").tag(
        config=True
    )
    batches_listed = Integer(20, help="A notebook's batches the sidebar lists, newest first.").tag(
        config=True
    )

    @validate(*SETTINGS)
    def _at_least_one(self, proposal: Any) -> int:
        value: int = proposal["value"]
        if value < 1:
            name = proposal["trait"].name
            raise TraitError(f"JupyterDSL.{name} must be a whole number of at least 1, not {value}")
        return value

    def initialize_handlers(self) -> None:
        self.handlers.extend(routes())

    def initialize_settings(self) -> None:
        gitrepo.INTERACTIVE = False  # a git prompt would hang a request on the server's terminal
        # runs started here fork their kernels from zygotes kept warm for the server's life
        warm = WarmKernels()
        self.run_service = self.settings[JOBS] = RunService(
            self.workers, keep=self.jobs_kept, signals=False, kernels=warm
        )
        self.project_trackers = self.settings[TRACKERS] = ProjectTrackers()
        self.settings[LIMITS] = Limits(
            max_workers=self.max_workers,
            preview_sets=self.preview_sets,
            max_configs=self.max_configs,
            batches_listed=self.batches_listed,
        )

    async def stop_extension(self) -> None:
        """Shut the run service down (runs under way finish their records, queued ones never start,
        its warm fork servers stop) and close the projects' trackers (their HTTP clients and database
        connections)."""
        if self.run_service is not None:
            self.run_service.shutdown()
        if self.project_trackers is not None:
            self.project_trackers.close()
